import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from clonus.pagecache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonus.settings")

application = get_wsgi_application()
if settings.CLONUS_KEEP_PAGES:
    # Kept pages are served before Django's middleware runs: a hit costs a cache read.
    application = PageCache(application)
