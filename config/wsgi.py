import os

from django.core.wsgi import get_wsgi_application

from config import env

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
try:
    application = get_wsgi_application()
except env.SettingError as error:
    # gunicorn (and any WSGI server) prints this one line and stops, as manage.py does, rather than a traceback.
    raise SystemExit(f"config.wsgi: {error}") from None
