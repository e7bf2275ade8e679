from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisatieSoort(models.TextChoices):
    GEMEENTELIJK_TEAM = "gemeentelijk_team", _("municipal team")
    PARTNER = "partner", _("partner organisation")
    TAALAANBIEDER = "taalaanbieder", _("language provider")


class Rol(models.TextChoices):
    """The roles; each is a Django group of the same name holding its permissions."""

    WERKCOACH = "werkcoach", _("werkcoach")
    TEAMLEIDER = "teamleider", _("teamleider")
    BEGELEIDER = "begeleider", _("maatschappelijk begeleider")
    COORDINATOR = "coordinator", _("coördinator (partner organisation)")
    AUDITOR = "auditor", _("auditor")
    PRIVACY_OFFICER = "privacy_officer", _("functionaris gegevensbescherming")
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", _("functioneel beheerder")


# Which organisation kind each role belongs to (checked when a user is saved).
ROL_ORGANISATIE_SOORTEN: dict[str, set[str]] = {
    Rol.WERKCOACH: {OrganisatieSoort.GEMEENTELIJK_TEAM},
    Rol.TEAMLEIDER: {OrganisatieSoort.GEMEENTELIJK_TEAM},
    Rol.FUNCTIONEEL_BEHEERDER: {OrganisatieSoort.GEMEENTELIJK_TEAM},
    Rol.BEGELEIDER: {OrganisatieSoort.PARTNER},
    Rol.COORDINATOR: {OrganisatieSoort.PARTNER},
    Rol.AUDITOR: {OrganisatieSoort.GEMEENTELIJK_TEAM, OrganisatieSoort.PARTNER},
    Rol.PRIVACY_OFFICER: {OrganisatieSoort.GEMEENTELIJK_TEAM},
}
