from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandhavingConfig(AppConfig):
    name = "handhaving"
    verbose_name = _("Handhaving")

    def ready(self) -> None:
        # this app's part of the dossier hub (handhaving/onderdeel.py), its actions with the
        # platform's policy engine, and its letters with the document platform
        from . import documenten, onderdeel, policy

        onderdeel.registreren()
        policy.registreren()
        # the processing activity its pages and API answers are logged under
        from inburgering.audit.activiteiten import Verwerkingsactiviteit, registreer

        registreer(
            Verwerkingsactiviteit(
                code="inburgering.handhaving",
                naam=_("Enforcement: the bestuurlijke boete"),
                doel=_("Recording failures and deciding on fines."),
                grondslag="Wet inburgering 2021; Awb titel 5.4",
                apps=("handhaving",),
            )
        )
        documenten.registreren()
        # the fine amounts in force since 2022 (migration 0002) are there after every migrate,
        # also in a test database a transactional test emptied
        from django.db.models.signals import post_migrate

        post_migrate.connect(_tarieven, sender=self)


def _tarieven(**kwargs: object) -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("handhaving.migrations.0002_tarieven").tarieven(apps, None)
