import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_application = get_wsgi_application()

# Full-page cache hits are answered before Django's handler (pagecache/wsgi.py); imported
# once the apps are loaded.
from pagecache.wsgi import PageCacheApplication  # noqa: E402

application = PageCacheApplication(django_application)
