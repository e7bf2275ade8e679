"""The user is told when their password, second factor or roles change: an e-mail after the
change has been committed, so someone who took over the account cannot do it unseen. The
e-mail says what changed and when, never how (no code, no password, no link that signs in).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Melding(models.TextChoices):
    WACHTWOORD = "wachtwoord", _("Your password was changed")
    TWEEDE_FACTOR = "tweede_factor", _("Your second factor was changed")
    TWEEDE_FACTOR_GERESET = "tweede_factor_gereset", _("Your second factor was reset")
    ROLLEN = "rollen", _("Your roles were changed")


def _versturen(user_pk: int, soort: str, op: str) -> None:
    from .models import User

    user = User.objects.filter(pk=user_pk).exclude(email="").first()
    if user is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        onderwerp = str(Melding(soort).label)
        tekst = render_to_string(
            "emails/account_gewijzigd.txt",
            {
                "user": user,
                "soort": soort,
                "onderwerp": onderwerp,
                "op": op,
                "site_url": settings.SITE_URL,
            },
        )
    try:
        send_mail(onderwerp, tekst, None, [user.email])
    except OSError:
        # the change stands; the failed e-mail is the mail server's incident, not the user's
        logger.exception("account notification %s for user %s not sent", soort, user_pk)


def melden(user: Any, soort: str) -> None:
    """Tell ``user`` (after the commit) that ``soort`` changed."""
    if not user.pk:
        return
    op = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    transaction.on_commit(lambda: _versturen(user.pk, soort, op))
