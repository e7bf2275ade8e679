from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BegeleidingConfig(AppConfig):
    name = "begeleiding"
    verbose_name = _("Maatschappelijke begeleiding")

    def ready(self) -> None:
        # this app's part of the dossier hub (begeleiding/onderdeel.py: also the partner
        # organisations' access to dossiers) and its actions with the platform's policy engine
        from . import onderdeel, policy

        onderdeel.registreren()
        policy.registreren()
        # the processing activity its pages and API answers are logged under
        from inburgering.audit.activiteiten import Verwerkingsactiviteit, registreer

        registreer(
            Verwerkingsactiviteit(
                code="inburgering.begeleiding",
                naam=_("Maatschappelijke begeleiding by partner organisations"),
                doel=_("Referrals, visits and the handover to regular services."),
                grondslag="Wet inburgering 2021; AVG art. 28 (processor agreement)",
                apps=("begeleiding",),
            )
        )
