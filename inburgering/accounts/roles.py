"""The role groups and the permissions each holds.

Kept in code so every installation (and every test database) has the same roles; synced after
each ``migrate`` by ``sync_rollen``.
"""

from django.contrib.auth.models import Group, Permission

from .constants import Rol

_CASE_READ = [
    "cases.view_inburgeraar",
    "cases.view_dossier",
    "cases.view_historie_dossier",
    "pip_plans.view_bredeintake",
    "pip_plans.view_pip",
    "cases.view_termijn",
    "handhaving.view_procedure",
    "begeleiding.view_aanmelding",
    "begeleiding.view_contactmoment",
]
_CASE_WRITE = [
    "cases.add_inburgeraar",
    "cases.change_inburgeraar",
    "cases.add_dossier",
    "cases.change_dossier",
    "cases.notitie_dossier",
    "cases.verhuizen_dossier",
    "pip_plans.add_bredeintake",
    "pip_plans.change_bredeintake",
    "pip_plans.add_pip",
    "pip_plans.change_pip",
    "cases.beheren_termijn",
    "handhaving.add_verzuim",
    "handhaving.change_procedure",
    "begeleiding.add_aanmelding",
    "begeleiding.change_aanmelding",
    "begeleiding.change_vervolgactie",
]

ROL_PERMISSIES: dict[str, list[str]] = {
    Rol.WERKCOACH: [*_CASE_READ, *_CASE_WRITE, "cases.view_medisch"],
    Rol.TEAMLEIDER: [
        *_CASE_READ,
        *_CASE_WRITE,
        "cases.view_medisch",
        "cases.toewijzen_dossier",
        "pip_plans.goedkeuren_pip",
        "handhaving.goedkeuren_boete",
        # who read or changed a person's data (the Logboek Dataverwerkingen)
        "audit.view_verwerking",
        # a dossier's evidence bundle
        "verantwoording.view_bewijsbundel",
        "verantwoording.add_bewijsbundel",
        # retention: approve a destruction run (four eyes), place and lift legal holds
        "bewaring.view_vernietigingsronde",
        "bewaring.goedkeuren_vernietigingsronde",
        "bewaring.view_verklaringvanvernietiging",
        "bewaring.view_juridischeblokkade",
        "bewaring.add_juridischeblokkade",
        "bewaring.change_juridischeblokkade",
    ],
    # A begeleider reads the dossiers of the begeleidingen assigned to them (while they run) and
    # writes notes and contacts; never medical data, trauma signals or handhaving.
    Rol.BEGELEIDER: [
        "cases.view_inburgeraar",
        "cases.view_dossier",
        "cases.notitie_dossier",
        "pip_plans.view_bredeintake",
        "pip_plans.view_pip",
        "begeleiding.view_aanmelding",
        "begeleiding.view_contactmoment",
        "begeleiding.add_contactmoment",
        "begeleiding.change_contactmoment",
        "begeleiding.change_vervolgactie",
    ],
    # A partner's coördinator accepts or declines referrals and assigns begeleiders; reads the
    # organisation's running begeleidingen (never medical data, never handhaving).
    Rol.COORDINATOR: [
        "cases.view_inburgeraar",
        "cases.view_dossier",
        "begeleiding.view_aanmelding",
        "begeleiding.view_contactmoment",
        "begeleiding.beoordelen_aanmelding",
    ],
    # Auditors read everything their organisation may see, including history; they never write.
    Rol.AUDITOR: [
        *_CASE_READ,
        # the evidence bundle of a dossier and the bulk export of a gemeente
        "verantwoording.view_bewijsbundel",
        "verantwoording.add_bewijsbundel",
        "verantwoording.bulkexport_maken",
        "bewaring.view_vernietigingsronde",
        "bewaring.view_verklaringvanvernietiging",
        "bewaring.view_juridischeblokkade",
    ],
    # The functionaris gegevensbescherming (AVG art. 37–39) finds a person, sees who processed
    # their data and answers an inzageverzoek; never medical data, never a change to a case.
    Rol.PRIVACY_OFFICER: [
        "cases.view_inburgeraar",
        "cases.view_dossier",
        # what an answer to an inzageverzoek (AVG art. 15) must hold, never medical data
        "cases.view_historie_dossier",
        "pip_plans.view_bredeintake",
        "pip_plans.view_pip",
        "handhaving.view_procedure",
        "begeleiding.view_aanmelding",
        "audit.view_verwerking",
        "audit.view_auditrecord",
        # the bulk export, and the answer to an inzageverzoek (AVG art. 15)
        "verantwoording.bulkexport_maken",
        "verantwoording.view_inzageverzoek",
        "verantwoording.add_inzageverzoek",
    ],
    Rol.FUNCTIONEEL_BEHEERDER: [
        "accounts.view_gemeente",
        "accounts.change_gemeente",
        "accounts.view_organisatie",
        "accounts.change_organisatie",
        "accounts.add_organisatie",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "cases.view_termijnbeleid",
        "cases.add_termijnbeleid",
        "cases.change_termijnbeleid",
        # decree days of the Algemene termijnenwet (art. 3 lid 3)
        "kalender.view_atwextradag",
        "kalender.add_atwextradag",
        "kalender.change_atwextradag",
        "kalender.delete_atwextradag",
        # fine amounts per period and the gemeente's enforcement settings
        "handhaving.view_boetetarief",
        "handhaving.add_boetetarief",
        "handhaving.change_boetetarief",
        "handhaving.view_handhavingbeleid",
        "handhaving.add_handhavingbeleid",
        "handhaving.change_handhavingbeleid",
        # the gemeente's begeleiding settings (consent, contact frequency, length)
        "begeleiding.view_begeleidingbeleid",
        "begeleiding.add_begeleidingbeleid",
        "begeleiding.change_begeleidingbeleid",
        # the log's chain verifications and their incidents (BIO 8.15)
        "audit.view_ketencontrole",
        "audit.incident_afhandelen",
        # retention periods and the proposal of a destruction run
        "bewaring.view_bewaartermijn",
        "bewaring.add_bewaartermijn",
        "bewaring.change_bewaartermijn",
        "bewaring.view_vernietigingsronde",
        "bewaring.add_vernietigingsronde",
        "bewaring.view_verklaringvanvernietiging",
    ],
}


def sync_rollen(**kwargs: object) -> None:
    """Create the role groups and set exactly the permissions listed above."""
    for rol, codes in ROL_PERMISSIES.items():
        group, _ = Group.objects.get_or_create(name=rol)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:  # app not migrated yet; the next post_migrate completes it
                continue
            perms.append(perm)
        group.permissions.set(perms)
