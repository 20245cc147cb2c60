from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = "Clonus administration"
admin.site.site_title = "Clonus"
admin.site.index_title = "Articles, sources and citations"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    # Uploads are images we re-encoded ourselves; SecurityMiddleware adds nosniff. A front-end
    # server that takes over /media/ must send X-Content-Type-Options: nosniff too.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
