from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

from .access import user_scope


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Log-in required for every page; the API authenticates itself (token or session) and
    answers 401/403 as problem+json instead of redirecting to the log-in page."""

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class AccessScopeMiddleware:
    """Activates the tenancy scope of the logged-in user for the whole request.

    API requests authenticate inside DRF (token auth), so the API views activate the scope
    again once the user is known (``inburgering.core.api.ScopedViewMixin``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with user_scope(request.user):
            return self.get_response(request)


class ApiVersionMiddleware:
    """NL API Design Rules: every API response carries the full version in ``API-Version``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
        return response
