from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIVITEIT = "bewaring.vernietiging"


class BewaringConfig(AppConfig):
    """Retention periods, legal holds and destruction runs (Archiefwet, AVG art. 5 lid 1e)."""

    name = "bewaring"
    verbose_name = _("Retention and destruction")

    def ready(self) -> None:
        from inburgering.audit.activiteiten import Verwerkingsactiviteit, registreer

        from . import policy

        policy.registreren()
        registreer(
            Verwerkingsactiviteit(
                code=ACTIVITEIT,
                naam=_("Destroying records after their retention period"),
                doel=_(
                    "Destroying the dossiers and personal data whose retention period has "
                    "elapsed, and proving what was destroyed."
                ),
                grondslag="Archiefwet 1995 art. 3 en 5; AVG art. 5 lid 1 sub e en art. 17",
                apps=("bewaring",),
            )
        )
