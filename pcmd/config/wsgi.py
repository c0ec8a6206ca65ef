"""WSGI entry point for gunicorn: `gunicorn pcmd.config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcmd.config.settings")
application = get_wsgi_application()
