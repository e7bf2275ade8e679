from typing import Any

from django.core.management.base import BaseCommand

from demo import dossiers as demo


class Command(BaseCommand):
    help = "Print the demo users' second-factor code of this moment (the documented demo key)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo.demo_code())
