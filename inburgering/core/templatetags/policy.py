"""Templates ask the policy engine, never ``perms`` or roles: ``{% load policy %}`` then
``{% if user|mag:"dossier.aanmaken" %}`` (no object) or
``{% mag_op user "pip.goedkeuren" pip as kan_goedkeuren %}`` (with one). An unknown action name
raises, as everywhere."""

from __future__ import annotations

from typing import Any

from django import template

from inburgering.core import access

register = template.Library()


@register.filter(name="mag")
def mag(user: Any, actie: str) -> bool:
    return access.mag(user, actie)


@register.simple_tag(name="mag_op")
def mag_op(user: Any, actie: str, obj: Any = None) -> bool:
    return access.mag(user, actie, obj)
