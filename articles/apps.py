from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed

from articles import roles
from references.signals import source_merged


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from . import merging  # noqa: PLC0415 (it imports models: the registry must be ready)

        source_merged.connect(merging.rewrite_merged_marks, dispatch_uid="articles.merging.rewrite_merged_marks")
        m2m_changed.connect(
            roles.staff_follows_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="articles.roles.staff_follows_roles",
        )
