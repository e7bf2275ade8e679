"""Strict JSON for the API: RFC 8259 JSON only, bounded nesting, camelCase keys underscoreized.

Python's ``json`` module accepts the literals ``NaN``, ``Infinity`` and ``-Infinity`` (which are
not JSON) and DRF's string fields then turn them into the text "nan"/"inf"; and it recurses once
per nesting level, so a body of 100,000 ``[`` ends in a ``RecursionError`` (a 500). Both are
refused here with a ``ParseError``: a 400 problem+json that says what was wrong.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import ParseError

from .exceptions import ContentTooLarge

# No resource of this API nests deeper than a handful of levels; 32 leaves ample room.
MAX_JSON_DEPTH = 32


def _refuse_constant(name: str) -> Any:
    raise ValueError(
        _("%(literal)s is not valid JSON (RFC 8259 has no non-finite numbers).") % {"literal": name}
    )


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (iterative: no recursion of our own)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth + 1 > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class StrictCamelCaseJSONParser(CamelCaseJSONParser):
    """``CamelCaseJSONParser`` that refuses what is not JSON and bounds the nesting depth."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding") or settings.DEFAULT_CHARSET
        try:  # text encodings only: a bytes-to-bytes codec (bz2_codec) would decompress
            "".encode(encoding)
        except (LookupError, UnicodeError) as exc:
            raise ParseError(
                _("Unsupported charset “%(encoding)s”.") % {"encoding": encoding}
            ) from exc
        # Content-Length is checked up front (ApiVersionMiddleware); a body without one
        # (chunked) is read no further than the same limit.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise ContentTooLarge()
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("The body is not valid %(encoding)s.") % {"encoding": encoding}
            ) from exc
        too_deep = ParseError(
            _("JSON nested deeper than %(max)d levels is refused.") % {"max": self.max_depth}
        )
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise too_deep from exc
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc
        if _depth_exceeds(data, self.max_depth):
            raise too_deep
        return underscoreize(data, **self.json_underscoreize)
