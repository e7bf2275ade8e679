import logging
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis import Redis

from inburgering.celery import app as celery_app

logger = logging.getLogger(__name__)


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _check_redis() -> bool:
    client = Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    finally:
        client.close()


def _check_celery_worker() -> bool:
    # ping() waits for replies (reply=True), so it returns a list, never None
    replies = cast("list[dict[str, Any]]", celery_app.control.ping(timeout=1.0))
    return any("ok" in reply for answer in replies for reply in answer.values())


CHECKS = {"database": _check_database, "redis": _check_redis, "celeryWorker": _check_celery_worker}


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery worker: 200 when all are up, 503 otherwise."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "up" if check() else "down"
        except Exception as exc:  # any failure of a dependency means "down"
            logger.warning("healthz: %s check failed: %s", name, exc.__class__.__name__)
            results[name] = "down"
    healthy = all(v == "up" for v in results.values())
    return JsonResponse(
        {"status": "up" if healthy else "down", "checks": results}, status=200 if healthy else 503
    )


def security_txt_expires(now: datetime | None = None) -> datetime:
    """RFC 9116 §2.5.5: the expiry is computed from today (``SECURITY_TXT_EXPIRES_DAYS`` ahead,
    at midnight UTC), so it is always in the future and always less than a year away."""
    now = now or timezone.now()
    dagen = settings.SECURITY_TXT_EXPIRES_DAYS
    if not 1 <= dagen <= 364:
        raise ValueError("SECURITY_TXT_EXPIRES_DAYS must be 1-364 (RFC 9116: under a year).")
    moment = (now.astimezone(UTC) + timedelta(days=dagen)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return moment


@login_not_required
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116 security.txt."""
    expires = security_txt_expires().strftime("%Y-%m-%dT%H:%M:%SZ")
    body = (
        f"Contact: {settings.SECURITY_TXT_CONTACT}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("cases:caseload")
