from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def rollen(request: HttpRequest) -> dict[str, Any]:
    """The user's roles, to show next to their name (what they may do is asked of the policy
    engine: ``{% load policy %}``, ``user|mag:"…"``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"rollen": set()}
    from inburgering.accounts import tweefactor

    # before the second factor the navigation is not shown: it would lead nowhere yet
    if tweefactor.verplicht() and not tweefactor.gegeven(request):
        return {"rollen": set(), "tweede_factor_open": True}
    return {"rollen": user.rollen}


def taal_terug(request: HttpRequest) -> dict[str, Any]:
    """Where the language switch (``base.html``) returns to: the page shown. A page that
    answers a POST (a refused form shown again) cannot be fetched again by a GET — its URL may
    accept POST only — so the switch returns to the page the form was sent from."""
    if request.method in ("GET", "HEAD"):
        return {"taal_terug": request.get_full_path()}
    vorige = request.META.get("HTTP_REFERER", "")
    if vorige and url_has_allowed_host_and_scheme(
        vorige, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        deel = urlsplit(vorige)
        return {"taal_terug": deel.path + (f"?{deel.query}" if deel.query else "")}
    return {"taal_terug": "/"}
