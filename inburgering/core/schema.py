"""drf-spectacular postprocessing: what every operation of this API answers, documented once.

The NL API Design Rules linter (``linter/logius-adr.spectral.yml``, run by ``scripts/test.sh``)
wants every response to document the ``API-Version`` header (``ApiVersionMiddleware`` sends it
on every API answer) and every write, and every read that takes parameters, to document its
400. The error responses that any operation can give — 400, 401, 403, 404 for an identified
resource, 409 for a write that lost a race, 413 for a body over the limit — are added here as
``application/problem+json`` (``inburgering.core.problems``), unless a view documented them
more precisely itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

PROBLEM_CONTENT_TYPE = "application/problem+json"
HTTP_METHODS = ("get", "put", "post", "patch", "delete")

_API_VERSION_HEADER = {
    "description": (
        "The full (semantic) version of the API that answered, e.g. `1.0.0` "
        "(NL API Design Rules /core/version-header)."
    ),
    "schema": {"type": "string", "example": settings.API_VERSION},
}

_PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, as every error of this API is reported.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail", "instance"],
}

_BESCHRIJVING_400 = {
    "read": "Invalid query or path parameter: `invalidParams` names it.",
    "write": "Refused: `invalidParams` names each field and the rule it breaks.",
}
_BESCHRIJVING = {
    "401": "No or invalid credentials (`Authorization: Token …` or a session).",
    "403": "Your role does not allow this action (auditors read, never write).",
    "404": "No such object, or not one you may see.",
    "409": (
        "A concurrent request changed the same data first (a database constraint refused "
        "this one): `invalidParams` names the field; reload and try again."
    ),
    "413": "The request body is larger than the server accepts.",
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _defaults(path: str, method: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    write = method != "get"
    has_parameters = bool(operation.get("parameters")) or "{" in path
    codes: dict[str, dict[str, Any]] = {}
    if write or has_parameters:
        codes["400"] = _problem(_BESCHRIJVING_400["write" if write else "read"])
    codes["401"] = _problem(_BESCHRIJVING["401"])
    codes["403"] = _problem(_BESCHRIJVING["403"])
    if "{" in path:
        codes["404"] = _problem(_BESCHRIJVING["404"])
    if write:
        codes["409"] = _problem(_BESCHRIJVING["409"])
    if "requestBody" in operation:
        codes["413"] = _problem(_BESCHRIJVING["413"])
    return codes


def document_api_conventions(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """``POSTPROCESSING_HOOKS`` entry: the API-Version header on every response and the
    problem+json error responses every operation can give."""
    components = result.setdefault("components", {})
    components.setdefault("headers", {})["API-Version"] = _API_VERSION_HEADER
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("Problem", _PROBLEM_SCHEMA)
    for path, item in result.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in _defaults(path, method, operation).items():
                responses.setdefault(code, response)
            for code, response in responses.items():
                if str(code).startswith(("4", "5")) and not response.get("content"):
                    # an error documented by description only is still problem+json
                    response["content"] = _problem("")["content"]
            operation["responses"] = dict(sorted(responses.items()))
            for response in operation["responses"].values():
                response.setdefault("headers", {})["API-Version"] = {
                    "$ref": "#/components/headers/API-Version"
                }
    return result
