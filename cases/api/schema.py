"""OpenAPI documentation of the problem+json error responses (``inburgering.core.problems``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from inburgering.core.problems import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("The (camelCase) field, or `nonFieldErrors`."))
    code = serializers.CharField()
    reason = serializers.CharField(help_text=_("Why, naming the rule it is based on."))


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every error of this API is reported."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    invalid_params = InvalidParamSerializer(
        many=True, required=False, help_text=_("Only on 400: every refused field.")
    )


_BESCHRIJVING = {
    400: "Refused: `invalidParams` names each field and the rule it breaks.",
    403: "Your role does not allow this action (auditors read, never write).",
    404: "No such object, or not one you may see.",
}


def problem_responses(*codes: int) -> dict[Any, OpenApiResponse]:
    """``responses`` entries for ``extend_schema``: the given statuses as problem+json."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=_BESCHRIJVING[code]
        )
        for code in codes
    }
