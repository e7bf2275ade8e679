"""The daily e-mail digest of open signals: at most one e-mail per user per day.

"At most once" is held by ``uniq_digest_per_dag``: the digest row is inserted with
``ON CONFLICT DO NOTHING`` in the same transaction as the e-mail is sent and the signals are
marked e-mailed. Two workers at once: one inserts, the other skips. A failed send rolls the row
back, so the next run tries again.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from inburgering.accounts.models import User

from .models import DigestVerzending, Signaal

logger = logging.getLogger(__name__)
MAX_IN_MAIL = 50


def _digest_claimen(user_id: int, datum: date, aantal: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DigestVerzending._meta.db_table} (ontvanger_id, datum, aantal, "  # noqa: S608
            "verzonden_op) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
            [user_id, datum, aantal, timezone.now()],
        )
        return cursor.fetchone() is not None


def digest_versturen(*, datum: date | None = None) -> int:
    """Send each user with open, not yet e-mailed signals one digest; returns e-mails sent.
    Must run outside a django-scopes scope (a task or command disables scopes)."""
    datum = datum or timezone.localdate()
    open_signalen = Signaal.objects.filter(gemaild_op__isnull=True, afgehandeld_op__isnull=True)
    ontvangers = (
        User.objects.filter(pk__in=open_signalen.values("ontvanger_id"), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    verzonden = 0
    for user in ontvangers.iterator():
        with transaction.atomic():
            signalen = list(
                open_signalen.filter(ontvanger=user)
                .select_related("termijn", "dossier__gemeente")
                .select_for_update(of=("self",), skip_locked=True)
                .order_by("uiterste_datum", "pk")
            )
            if not signalen or not _digest_claimen(user.pk, datum, len(signalen)):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                onderwerp = ngettext(
                    "%(n)d new deadline signal", "%(n)d new deadline signals", len(signalen)
                ) % {"n": len(signalen)}
                tekst = render_to_string(
                    "emails/signalen_digest.txt",
                    {
                        "user": user,
                        "signalen": signalen[:MAX_IN_MAIL],
                        "meer": max(0, len(signalen) - MAX_IN_MAIL),
                        "site_url": settings.SITE_URL,
                        # a begeleider reads no termijnen: their links go to the client's
                        # begeleiding and their start page
                        "termijnen_inzien": user.has_perm("cases.view_termijn"),
                    },
                )
            send_mail(onderwerp, tekst, None, [user.email])
            Signaal.objects.filter(pk__in=[s.pk for s in signalen]).update(
                gemaild_op=timezone.now()
            )
            verzonden += 1
    logger.info("signal digest %s: %d e-mails", datum, verzonden)
    return verzonden
