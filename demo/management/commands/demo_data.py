from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from cases import bewaking
from demo import dossiers as demo
from inburgering.audit import keten


class Command(BaseCommand):
    help = "Load demo gemeenten, users for every role and a few hundred dossiers (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--aantal", type=int, default=220, help="number of demo inburgeraars")

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo.load(options["aantal"])
        self.stdout.write(
            f"Demo data: {result['gemeenten']} gemeenten, {result['users']} users, "
            f"{result['dossiers_nieuw']} new dossiers."
        )
        with scopes_disabled():
            run = bewaking.sweep()
        self.stdout.write(
            f"Termijnen checked: {run.verlopen} overdue, {run.signalen} signals, "
            f"{run.escalaties} escalations."
        )
        # the functioneel beheerder's log verification page starts with a verification on record
        controles = keten.controleren()
        self.stdout.write(
            "Log chains: "
            + ", ".join(
                f"{c.tabel} {'intact' if c.in_orde else 'BROKEN'} ({c.gecontroleerd} rows)"
                for c in controles
            )
        )
        self.stdout.write(
            f"Demo log-ins (password for all: {demo.DEMO_PASSWORD}; second factor: the code of "
            f"an authenticator app with key {demo.DEMO_TOTP_SLEUTEL}, or `make totp`):"
        )
        for user in demo.USERS:
            self.stdout.write(f"  {user.username:<22} {user.rol:<22} {user.organisatie}")
