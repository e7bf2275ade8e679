"""Sessions that end when they should (issue 14, the session part).

Django's database sessions hold who is signed in; ``Sessie`` adds, per session, whose it is,
when it began and when it was last used, so a user can see their own sessions and anyone can
end all of a user's sessions at once without scanning every session in the database.

- **Absolute age**: a session ends ``SESSION_MAX_AGE_HOURS`` after sign-in, however active it
  was (the idle time-out, ``SESSION_IDLE_TIMEOUT_SECONDS``, ends it sooner when unused).
- **Ended at once**: deactivating a user, or changing their roles or permissions, ends every
  session of theirs (they sign in again with what they now may do); a user ends all their
  other sessions from *Mijn sessies*, a functioneel beheerder all of a user's from the admin.
- **Rotation**: Django gives a session a new key at sign-in (``login()`` cycles it); a user's
  own sessions end when their privileges change, so no session outlives the rights it had.
- **On record**: sign-in, a failed sign-in (without the username typed: it may be a password
  typed in the wrong field), sign-out and every session ended go to the audit log as the
  request's ``AuditRecord`` event (``aanmelden``, ``aanmelden.mislukt``, ``afmelden``,
  ``sessie.verlopen``, ``sessies.beeindigd``), never with a password or a session key.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .models import Sessie

AANGEMELD_OP = "_aangemeld_op"  # the session's start, ISO 8601, in the session itself
BIJWERKEN_NA = timedelta(minutes=1)  # ``laatst_gezien`` is written at most once a minute


def max_leeftijd() -> timedelta:
    return timedelta(hours=float(settings.SESSION_MAX_AGE_HOURS))


def apparaat(user_agent: str) -> str:
    """A short description of the browser and system ("Firefox op Linux"), never the full
    header: enough to recognise one's own sessions, too little to fingerprint."""
    ua = user_agent or ""
    browser = next(
        (
            naam
            for sleutel, naam in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if sleutel in ua
        ),
        "",
    )
    systeem = next(
        (
            naam
            for sleutel, naam in (
                ("Android", "Android"),
                ("iPhone", "iOS"),
                ("iPad", "iOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if sleutel in ua
        ),
        "",
    )
    return " / ".join(d for d in (browser, systeem) if d)[:60]


def _gebeurtenis(request: Any, naam: str, actor: Any = None) -> None:
    """Put ``naam`` on the request's audit span, which then always writes its record."""
    span = getattr(request, "audit_span", None)
    if span is None:
        return
    span.altijd = True
    span.gebeurtenis = naam
    if actor is not None:
        request.audit_actor = actor


def aangemeld(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: note the session's start and whose it is."""
    if request is None or not hasattr(request, "session"):
        return
    nu = timezone.now()
    request.session[AANGEMELD_OP] = nu.isoformat()
    request.session[GEZIEN] = nu.isoformat()
    request.session.save()  # the key exists (``login()`` has cycled it)
    Sessie.objects.update_or_create(
        sessie_sleutel=request.session.session_key,
        defaults={
            "user": user,
            "aangemeld_op": nu,
            "laatst_gezien": nu,
            "apparaat": apparaat(request.headers.get("User-Agent", "")),
        },
    )
    _gebeurtenis(request, "aanmelden", user)


def afgemeld(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_out``: the session is gone."""
    if request is not None and getattr(request, "session", None) is not None:
        sleutel = request.session.session_key
        if sleutel:
            Sessie.objects.filter(sessie_sleutel=sleutel).delete()
        if getattr(request, "audit_gebeurtenis_vast", False) is False:
            _gebeurtenis(request, "afmelden", user)


def mislukt(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    """``user_login_failed``: on record, without what was typed."""
    if request is not None:
        _gebeurtenis(request, "aanmelden.mislukt")


def lopende(user: Any) -> Any:
    """The user's sessions that still run: the records of sessions that ended without a
    log-out (idle time-out, ``clearsessions``) are deleted on the way."""
    from django.db.models import Exists, OuterRef

    lopend = Exists(
        Session.objects.filter(
            session_key=OuterRef("sessie_sleutel"), expire_date__gt=timezone.now()
        )
    )
    Sessie.objects.filter(user=user).exclude(lopend).delete()
    return Sessie.objects.filter(user=user).order_by("-laatst_gezien")


def beeindigen(user: Any, *, behalve: str | None = None) -> int:
    """End every session of ``user`` (but the one with key ``behalve``): the sessions are
    deleted, so the next request of each is signed out. Returns how many ended."""
    with transaction.atomic():
        sessies = Sessie.objects.filter(user=user)
        if behalve:
            sessies = sessies.exclude(sessie_sleutel=behalve)
        sleutels = list(sessies.values_list("sessie_sleutel", flat=True))
        Session.objects.filter(session_key__in=sleutels).delete()
        sessies.delete()
    return len(sleutels)


def sleutel_gewijzigd(request: Any, oud: str | None) -> None:
    """The session got a new key (``cycle_key``): its record follows it."""
    nieuw = request.session.session_key
    if oud and nieuw and oud != nieuw:
        Sessie.objects.filter(sessie_sleutel=oud).update(sessie_sleutel=nieuw)


def beeindigd_op_verzoek(request: Any, user: Any, *, behalve: str | None = None) -> int:
    """``beeindigen`` as an action of the request's user, on record."""
    aantal = beeindigen(user, behalve=behalve)
    _gebeurtenis(request, "sessies.beeindigd")
    return aantal


def verlopen(request: Any) -> bool:
    """Whether the request's session is past its absolute age (or has no start, which a
    session signed in before this rule existed lacks: it gets one now)."""
    begin = request.session.get(AANGEMELD_OP)
    if not begin:
        request.session[AANGEMELD_OP] = timezone.now().isoformat()
        return False
    return timezone.now() - datetime.fromisoformat(begin) > max_leeftijd()


def afmelden_verlopen(request: Any) -> None:
    user = request.user
    request.audit_gebeurtenis_vast = True
    _gebeurtenis(request, "sessie.verlopen", user)
    logout(request)


GEZIEN = "_gezien"  # when ``laatst_gezien`` was last written, in the session itself


def gezien(request: Any) -> None:
    """Move ``laatst_gezien`` on, at most once per ``BIJWERKEN_NA`` (the session, saved on
    every request anyway, remembers when: no query on the other requests)."""
    nu = timezone.now()
    vorige = request.session.get(GEZIEN)
    if vorige and nu - datetime.fromisoformat(vorige) < BIJWERKEN_NA:
        return
    request.session[GEZIEN] = nu.isoformat()
    if request.session.session_key:
        Sessie.objects.filter(sessie_sleutel=request.session.session_key).update(laatst_gezien=nu)


class SessieMiddleware:
    """After authentication: a session past its absolute age is signed out (a page is sent
    to the sign-in page with a message, the API answers as for anyone signed out), and a
    signed-in session's last use is noted."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if verlopen(request):
                from django.contrib import messages
                from django.utils.translation import gettext as _

                afmelden_verlopen(request)
                messages.info(
                    request,
                    _(
                        "You were logged out: a session lasts at most %(uren)s hours. "
                        "Please log in again."
                    )
                    % {"uren": f"{max_leeftijd().total_seconds() / 3600:g}"},
                )
            else:
                gezien(request)
        return self.get_response(request)


def user_opgeslagen(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """``post_save`` of a user: a deactivated user's sessions end at once."""
    if not created and not instance.is_active:
        beeindigen(instance)


def rechten_gewijzigd(
    sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any
) -> None:
    """``m2m_changed`` of a user's groups (roles) or permissions: every session of the user
    ends, so nobody goes on with the rights of before. (Changed from the group's side, the
    change has no history either — django-simple-history records a user's roles from the
    user's side only — and the application does not change roles that way.)"""
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        beeindigen(instance)
        from . import meldingen

        meldingen.melden(instance, meldingen.Melding.ROLLEN)
