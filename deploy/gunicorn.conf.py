"""gunicorn settings for the portal's app servers (production and scripts/prod-shape.sh).

    gunicorn -c deploy/gunicorn.conf.py wsgi:app

Everything can be changed by environment variables, so one file serves every machine:

    GUNICORN_BIND          127.0.0.1:8001      where this app server listens (nginx in front)
    GUNICORN_WORKERS       2 x cores + 1        worker processes (sync workers: one request each)
    GUNICORN_THREADS       1                    >1 switches to the gthread worker
    GUNICORN_TIMEOUT       30                   a worker silent this long is killed and replaced
    GUNICORN_GRACEFUL      30                   seconds a worker may finish requests on SIGTERM/HUP
    GUNICORN_MAX_REQUESTS  2000                 recycle a worker after that many requests (+ jitter)
    GUNICORN_ACCESSLOG     -                    "-" = stdout (journald); a path; "" = off
    GUNICORN_ERRORLOG      -
    GUNICORN_LOGLEVEL      info
    GUNICORN_PIDFILE       (none)

The access log is one line a request, key=value, with the request id nginx sets (X-Request-ID,
`proxy_set_header X-Request-ID $request_id;`), so a line in nginx's log, gunicorn's log and a
client's complaint can be matched. `dur_ms` is the time gunicorn spent in the app.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Behind nginx: nginx buffers slow clients, so sync workers never wait on a slow phone.
# The keep-alive is between nginx and gunicorn only.
keepalive = 5
backlog = 2048

# Timeouts: a stuck worker (e.g. a registry call hanging) is killed after `timeout`; on a
# rolling restart (SIGHUP) or stop (SIGTERM) workers get `graceful_timeout` to finish.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL", 30)

# Recycle workers now and then (a slow leak never becomes an outage); jitter so they don't all
# restart at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

# The heartbeat file of each worker: on tmpfs, so a slow or full disk never makes the master
# think a worker hangs (the gunicorn docs' advice for Docker and cloud disks).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Import the app once in the master, then fork: less memory, faster worker restarts. Database
# connections are made lazily in each worker (SQLAlchemy's pool is created per process on first
# use), so nothing is shared across the fork. PORTAL_WARM_UP makes wsgi.py compile every
# template (and load the catalogues) in the master first (portal/warm.py): each worker then
# starts warm, instead of compiling each page on its first citizen's request (~20-40 ms each).
preload_app = True
os.environ.setdefault("PORTAL_WARM_UP", "1")

# Only nginx on this machine talks to us; it sets X-Forwarded-* (the app trusts them through
# PORTAL_TRUSTED_PROXIES / ProxyFix, not gunicorn).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Limits on the request line and headers (defaults 4094 / 100 / 8190): keep them.
limit_request_line = 4094

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# h: client (nginx), {x-forwarded-for}i: the real client, {x-request-id}i: nginx's $request_id,
# M: milliseconds in the app, b: body bytes, p: worker pid (which worker answered).
access_log_format = (
    't=%(t)s rid=%({x-request-id}i)s ip=%({x-forwarded-for}i)s method=%(m)s path="%(U)s" '
    'status=%(s)s bytes=%(B)s dur_ms=%(M)s pid=%(p)s ua="%(a)s"'
)
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = os.environ.get("GUNICORN_PROC_NAME", "mekenjai")
