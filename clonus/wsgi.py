import os

from django.core.wsgi import get_wsgi_application

from clonus.pagecache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clonus.settings")

# Kept pages are served before Django's middleware runs: a hit costs a cache read.
application = PageCache(get_wsgi_application())
