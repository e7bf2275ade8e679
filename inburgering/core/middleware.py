from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .access import user_scope
from .problems import is_api_request, problem_response, request_too_large


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
    """NL API Design Rules: every API response carries the full version in ``API-Version``.

    Placed first (after SecurityMiddleware) so that it also marks the answers of the other
    middleware, and refuses an API body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413
    problem before anything reads it (Django would answer an HTML 400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request) and request_too_large(request):
            response = problem_response(request, 413)
        else:
            response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
        return response


class NoStoreMiddleware:
    """Pages and API answers for a logged-in user carry personal data: no browser or proxy may
    keep a copy (``Cache-Control: no-store``). Static files never reach this middleware
    (WhiteNoise answers them first). Token-authenticated API calls are recognised after DRF has
    set the user, and every ``/api/`` answer is no-store anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith("/api/") or getattr(user, "is_authenticated", False):
            add_never_cache_headers(response)
        return response


class QueryTellerMiddleware:
    """For the load benchmark only (``BENCH_QUERY_TELLER``): the number of SQL statements the
    request ran, in ``X-Queries``. Never in a deployment's middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        aantal = 0

        def tel(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
            nonlocal aantal
            aantal += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(tel):
            response = self.get_response(request)
        response["X-Queries"] = str(aantal)
        return response
