"""gunicorn's configuration: the production command (Procfile, Dockerfile, docker-compose) and
the one the load benchmark (benchmarks/last.py) measures.

A request here is mostly waiting on PostgreSQL with some Python around it (templates, the
policy, the processing log), so: two processes per core (``GUNICORN_WORKERS``, default
``2 × cores``) so that both cores have Python to run while the other process waits, each with
a few threads (``gthread``, ``GUNICORN_THREADS``, default 4) that overlap their database waits
without a process's memory each. Persistent database connections (``CONN_MAX_AGE``, one per
thread) spare a connection set-up per request; ``max_requests`` recycles a worker now and then.
Static files come from WhiteNoise inside the same processes (compressed, far-future cached).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "0") or 0) or 2 * multiprocessing.cpu_count()
threads = int(os.environ.get("GUNICORN_THREADS", "4") or 4)
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60") or 60)
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
