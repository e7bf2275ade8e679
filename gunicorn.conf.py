"""gunicorn's configuration: the production command (Procfile, Dockerfile, docker-compose) and
the one the load benchmark (benchmarks/last.py) measures.

A request here is mostly waiting on PostgreSQL with some Python around it (templates, the
policy, the processing log), so: two processes per core (``GUNICORN_WORKERS``, default
``2 × cores``) so that both cores have Python to run while the other process waits, each with
a few threads (``gthread``, ``GUNICORN_THREADS``, default 4) that overlap their database waits
without a process's memory each. Persistent database connections (``CONN_MAX_AGE``, one per
thread) spare a connection set-up per request; ``max_requests`` recycles a worker now and then.
Static files come from WhiteNoise inside the same processes (compressed, far-future cached).

Once a worker has loaded the application, ``post_worker_init`` loads the URL configuration (as the
first request would), collects once and freezes what is left (``gc.freeze``): the ~200,000
long-lived objects of Django, the apps and the URL patterns are no longer walked by the cyclic
garbage collector. Before, a full collection walked them every 50 requests or so, for 125–150 ms
with the GIL held, and stalled every thread of that process.
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


def post_worker_init(worker: object) -> None:
    """After the application has been loaded in this worker process, before its first request."""
    import gc

    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 — loads every URL module, as a first request would
    gc.collect()
    gc.freeze()
