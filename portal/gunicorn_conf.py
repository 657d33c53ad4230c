"""gunicorn settings for `make serve` (`gunicorn -c python:portal.gunicorn_conf wsgi:app`).

Everything comes from the environment: HOST (127.0.0.1; 0.0.0.0 in a container), PORT (8000),
WEB_CONCURRENCY (worker processes; default 2 × CPU cores + 1, at most 8), GUNICORN_THREADS (1),
GUNICORN_TIMEOUT (60 s). The portal writes its own one-line-per-request log to stdout (with a
request id, and without tokens), so gunicorn's access log is off and its error log goes to stderr.
"""

from __future__ import annotations

import os

_cpus = os.cpu_count() or 1

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cpus + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then: bounded memory over months
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "crocevia"
# gunicorn's control socket defaults to one path per user: two instances on one machine would
# share it. Off unless asked for.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET") is None
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
