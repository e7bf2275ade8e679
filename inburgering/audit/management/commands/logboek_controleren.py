from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inburgering.audit import keten


class Command(BaseCommand):
    help = "Verify the hash chains of the audit and processing logs; exit 1 on a break."

    def handle(self, *args: Any, **options: Any) -> None:
        gebroken = []
        for controle in keten.controleren():
            regel = f"{controle.tabel}: {controle.gecontroleerd} rows"
            if controle.in_orde:
                self.stdout.write(f"{regel}, chain intact up to {controle.tot_volgnummer}")
            else:
                self.stdout.write(f"{regel}, BROKEN: {controle.melding}")
                gebroken.append(controle.tabel)
        if gebroken:
            raise CommandError(f"log chain broken: {', '.join(gebroken)}")
