"""gunicorn settings for `make serve` and the systemd unit (docs/deployment.md).

Read from the environment so that one file serves every machine.
"""

import os

from config import warmup
from config.env import load_env_file

load_env_file()  # HOST, PORT, WEB_CONCURRENCY… may come from the optional .env too

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let a worker overlap database and cache waits; 1 keeps a worker per request.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Load the app once in the master, then fork: faster start, shared memory pages.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down. Not too often: a new worker
# rebuilds what it keeps (routes, facts, fragments: its first request takes about 0.1 s, see warm_up below),
# and while it does the requests queued behind it wait. A worker's memory grows 4.8 % from its 100th to its
# 10,000th request (benchmarks/worker_memory.py), so 20,000 (and a jitter that spreads the workers' turns).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The address nginx saw, and how long each request took (microseconds).
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(D)sµs "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """In the master, before the first fork: what each worker would build on its first request (config/warmup.py)."""
    try:
        warmup.warm_up()
    except Exception:  # a warm-up that fails only means slower first requests
        server.log.exception("Warm-up failed")
