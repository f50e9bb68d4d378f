"""gunicorn's settings (``gunicorn config.wsgi -c config/gunicorn.py``): the timeout is the
application's WEB_TIMEOUT, which the upload limit is checked against (desk.E001)."""

from config.settings import WEB_TIMEOUT

timeout = WEB_TIMEOUT
# The proxy in front keeps a slow client's bytes; a worker only ever waits on the proxy.
graceful_timeout = 30
