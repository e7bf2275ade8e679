"""Run the termijn sweep once by hand and print what it did (the hourly beat task does the same).

manage.py termijnen_bewaken                 # run here, now
manage.py termijnen_bewaken --via-celery    # queue it for a worker (needs Redis)
manage.py termijnen_bewaken --digest        # also send today's e-mail digest
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled
from kombu.exceptions import OperationalError as BrokerError

from cases import bewaking, meldingen, tasks
from inburgering.celery import app as celery_app


class Command(BaseCommand):
    help = "Mark overdue termijnen, create signals and escalations (once), and report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--peildatum", type=date.fromisoformat, help="Sweep as of this date (YYYY-MM-DD)."
        )
        parser.add_argument("--chunk", type=int, default=bewaking.STANDAARD_CHUNK)
        parser.add_argument(
            "--pauze", type=float, default=0.0, help="Seconds to wait between chunks."
        )
        parser.add_argument("--via-celery", action="store_true", help="Queue it for a worker.")
        parser.add_argument("--digest", action="store_true", help="Also send the e-mail digest.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["via_celery"]:
            try:
                with celery_app.connection_for_write() as conn:
                    conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
                # the hourly task keeps no result to wait for; the run is in BewakingsRun
                result = tasks.termijnen_bewaken.apply_async(retry=False, ignore_result=True)
            except (BrokerError, OSError) as exc:
                raise CommandError(
                    f"Could not queue the sweep: the broker (Redis) is unreachable ({exc}). "
                    "Nothing was changed; beat runs the sweep again at the next hour, or run "
                    "this command without --via-celery."
                ) from exc
            self.stdout.write(f"Queued the sweep as task {result.id}.")
            return

        def voortgang(resultaat: bewaking.Resultaat, laatste: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  chunk {resultaat.chunks}: dossiers up to id {laatste}")

        with scopes_disabled():
            r = bewaking.sweep(
                peildatum=options["peildatum"],
                chunk=options["chunk"],
                pauze=options["pauze"],
                voortgang=voortgang,
            )
            if r.hervat_vanaf:
                self.stdout.write(f"Resumed an unfinished sweep after dossier id {r.hervat_vanaf}.")
            self.stdout.write(
                f"Sweep as of {r.peildatum}: {r.chunks} chunks; {r.verlopen} termijnen overdue; "
                f"{r.signalen} signals; {r.escalaties} escalations (run {r.run_id})."
            )
            if options["digest"]:
                n = meldingen.digest_versturen()
                self.stdout.write(f"Digest: {n} e-mails sent.")
