"""Werkcoach and teamleider screens for the brede intake and the PIP. Reads through
``pip_plans.selectors`` (which start from the access policy), writes through
``pip_plans.services``; dossiers, intakes and PIPs the user may not see are a 404."""

from .dossier import (  # noqa: F401
    intake_sectie,
    intake_starten,
    pip_aanmaken,
    pip_sectie,
)
from .intake import (  # noqa: F401
    intake_afronden,
    intake_bijwerken,
    intake_detail,
    intake_domein,
    intake_gesprek,
    intake_kind,
)
from .pip import (  # noqa: F401
    pip_afschalen,
    pip_detail,
    pip_download,
    pip_goedkeuren,
    pip_nieuwe_versie,
    pip_preview,
    pip_route_switch,
    pip_status,
    pip_ter_ondertekening,
    pip_terugsturen,
    pip_vaststellen,
)
from .wachtrij import (  # noqa: F401
    wachtrij,
)
