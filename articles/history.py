def urls(model_admin):
    return []
