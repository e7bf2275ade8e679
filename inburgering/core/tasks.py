"""Periodic housekeeping (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def opruimen() -> dict[str, int]:
    """Remove expired sessions, and log-in records (which hold IP addresses) past retention."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.LOGIN_ATTEMPT_RETENTION_DAYS)
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    logs, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return {"sessions": sessions, "loginRecords": attempts + logs + failures}
