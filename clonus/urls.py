from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from articles import sitemaps
from articles.admin.login import LoginForm
from articles.views import robots_txt

admin.site.site_header = "Clonus administration"
admin.site.site_title = "Clonus"
admin.site.index_title = "Articles, sources and citations"
admin.site.login_form = LoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links. Not a permanent redirect: the
    # static URL carries a content hash that changes when the icon does. Lazy, because the
    # hashed name is known only once the manifest storage is ready, not at import.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
    path("sitemap.xml", sitemaps.view, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("articles.urls")),
    # Uploads are images we re-encoded ourselves; SecurityMiddleware adds nosniff. A front-end
    # server that takes over /media/ must send X-Content-Type-Options: nosniff too.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler404 = "articles.views.page_not_found"
