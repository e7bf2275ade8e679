"""The dossier hub's models, by responsibility: the person, the dossier and its timeline
(``dossier``), and the termijnen with their policy, extensions and signals (``termijnen``)."""

from .dossier import (  # noqa: F401
    Dossier,
    Gebeurtenis,
    Inburgeraar,
    InburgeraarManager,
    _historie_gemeente_vastleggen,
    historie_gemeente_veld,
    historie_gemeente_voor,
    persoonshistorie_in,
    validate_bsn,
    validate_huisletter,
    validate_huisnummertoevoeging,
    validate_postcode,
)
from .termijnen import (  # noqa: F401
    INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN,
    STANDAARD_MAX_VERLENGING_MAANDEN,
    BewakingsRun,
    DigestVerzending,
    Signaal,
    Termijn,
    TermijnBeleid,
    TermijnTeller,
    Verlenging,
    _standaard_waarschuwingsdagen,
)
