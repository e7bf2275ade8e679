"""Reads for the dossier core, by responsibility. Every function starts from the access policy.

- ``caseload``: search, filters, sorting, and who a dossier can be assigned to;
- ``termijnen``: termijn status filters and labels, one dossier's clocks;
- ``signalen``: a user's signals;
- ``dashboard``: the teamleider's termijnen overview.

The change history lives in ``cases.historie``, the pictures' geometry in ``cases.presentatie``.
"""

from .caseload import (
    SORTERINGEN,
    caseload,
    dossier_voor,
    gemeenten_voor,
    werkcoaches_voor,
    zoek_filter,
)
from .dashboard import (
    OVERZICHT_PAGE_SIZE,
    SNEDE_STATUSSEN,
    Overzicht,
    Telling,
    WerkcoachRij,
    overzicht_termijnen,
    snede_querystring,
    termijnen_overzicht,
)
from .signalen import (
    SIGNAAL_STATUSSEN,
    open_signalen_aantal,
    open_signalen_van_dossier,
    signalen_voor,
)
from .termijnen import (
    binnenkort_grens,
    dossier_termijnen,
    eerstvolgende_termijn,
    met_termijnstatus,
    termijn_filter,
    termijn_omschrijving,
    termijnstatus_labels,
)

__all__ = [
    "OVERZICHT_PAGE_SIZE",
    "SIGNAAL_STATUSSEN",
    "SNEDE_STATUSSEN",
    "SORTERINGEN",
    "Overzicht",
    "Telling",
    "WerkcoachRij",
    "binnenkort_grens",
    "caseload",
    "dossier_termijnen",
    "dossier_voor",
    "eerstvolgende_termijn",
    "gemeenten_voor",
    "met_termijnstatus",
    "open_signalen_aantal",
    "open_signalen_van_dossier",
    "overzicht_termijnen",
    "signalen_voor",
    "snede_querystring",
    "termijn_filter",
    "termijn_omschrijving",
    "termijnen_overzicht",
    "termijnstatus_labels",
    "werkcoaches_voor",
    "zoek_filter",
]
