"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

import os

from portal import create_app

app = create_app()

if os.environ.get("PORTAL_WARM_UP") == "1":  # set by deploy/gunicorn.conf.py (preload_app)
    from portal.warm import warm_up

    warm_up(app)
