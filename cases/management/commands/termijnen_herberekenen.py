"""Recompute every open dossier's termijnen from its facts (after a rule change or for data
that predates the rules). Services keep them current otherwise."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scopes_disabled

from cases import termijnen
from cases.constants import OPEN_FASEN
from cases.models import Dossier


class Command(BaseCommand):
    help = "Recompute the termijnen of every open dossier (or of --gemeente only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gemeente", help="CBS code of one gemeente.")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            dossiers = Dossier.objects.filter(fase__in=OPEN_FASEN).select_related(
                "inburgeraar", "gemeente"
            )
            if options["gemeente"]:
                dossiers = dossiers.filter(gemeente__cbs_code=options["gemeente"])
            n = 0
            for dossier in dossiers.order_by("pk").iterator(chunk_size=500):
                termijnen.herberekenen(dossier, user=None, reden="Herberekend (beheer)")
                n += 1
                if n % 1000 == 0:
                    self.stdout.write(f"  {n} dossiers…")
        self.stdout.write(f"Recomputed the termijnen of {n} dossiers.")
