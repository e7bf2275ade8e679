"""The timeline event kinds of the brede intake and the PIP (``cases.tijdlijn``), registered
with this app's part of the dossier hub (``pip_plans/onderdeel.py``). The parameters each
writer in ``pip_plans.services`` passes are the placeholders below: dates as ISO strings,
choices as their codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.tijdlijn import Gebeurtenissoort, datum, geheel, keuze, tekst

from .constants import Examendeel, GesprekLocatie, Leerroute, PipStatus

INTAKE_GESTART = "intake.gestart"
INTAKE_GESPREK = "intake.gesprek"
INTAKE_NIET_VERSCHENEN = "intake.gesprek_niet_verschenen"
INTAKE_NIET_MEEGEWERKT = "intake.gesprek_niet_meegewerkt"
INTAKE_AFGEROND = "intake.afgerond"
PIP_AANGEMAAKT = "pip.aangemaakt"
PIP_TER_ONDERTEKENING = "pip.ter_ondertekening"
PIP_GOEDGEKEURD = "pip.goedgekeurd"
PIP_TERUGGESTUURD = "pip.teruggestuurd"
PIP_VASTGESTELD = "pip.vastgesteld"
PIP_RENDER_MISLUKT = "pip.render_mislukt"
PIP_NIEUWE_VERSIE = "pip.nieuwe_versie"
PIP_ROUTE_SWITCH = "pip.route_switch"
PIP_AFGESCHAALD = "pip.afgeschaald"

SOORTEN = (
    Gebeurtenissoort(INTAKE_GESTART, _("brede intake started"), _("Brede intake started.")),
    Gebeurtenissoort(
        INTAKE_GESPREK,
        _("intake conversation"),
        _("Intake conversation on %(datum)s (%(locatie)s)."),
        {"datum": datum, "locatie": keuze(GesprekLocatie)},
    ),
    Gebeurtenissoort(
        INTAKE_NIET_VERSCHENEN,
        _("did not appear"),
        _("Did not appear for the intake conversation of %(datum)s."),
        {"datum": datum},
    ),
    Gebeurtenissoort(
        INTAKE_NIET_MEEGEWERKT,
        _("did not cooperate"),
        _("Did not cooperate in the intake conversation of %(datum)s."),
        {"datum": datum},
    ),
    Gebeurtenissoort(
        INTAKE_AFGEROND,
        _("brede intake completed"),
        _("Brede intake completed."),
        vereist=("datum",),
    ),
    Gebeurtenissoort(PIP_AANGEMAAKT, _("PIP drafted"), _("PIP drafted."), vereist=("pip",)),
    Gebeurtenissoort(
        PIP_TER_ONDERTEKENING,
        _("PIP submitted for approval"),
        _("PIP version %(versie)d submitted for approval."),
        {"versie": geheel},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_GOEDGEKEURD,
        _("PIP approved"),
        _("PIP version %(versie)d approved."),
        {"versie": geheel},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_TERUGGESTUURD,
        _("PIP returned"),
        _("PIP version %(versie)d returned to the werkcoach: %(opmerking)s"),
        {"versie": geheel, "opmerking": tekst},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_VASTGESTELD,
        _("beschikking issued"),
        _("PIP version %(versie)d issued (%(kenmerk)s); inburgeringstermijn %(start)s – %(eind)s."),
        {"versie": geheel, "kenmerk": tekst, "start": datum, "eind": datum},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_RENDER_MISLUKT,
        _("beschikking not issued"),
        _(
            "The beschikking of PIP version %(versie)d could not be made; the PIP is back in "
            "status “%(status)s”."
        ),
        {"versie": geheel, "status": keuze(PipStatus)},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_NIEUWE_VERSIE,
        _("new PIP version"),
        _("PIP version %(versie)d drafted as a new version."),
        {"versie": geheel},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_ROUTE_SWITCH,
        _("leerroute switched"),
        _("Leerroute switched to %(route)s; PIP version %(versie)d drafted."),
        {"route": keuze(Leerroute), "versie": geheel},
        vereist=("pip",),
    ),
    Gebeurtenissoort(
        PIP_AFGESCHAALD,
        _("afgeschaald B1 → A2"),
        _("Afschalen B1 → A2 for %(examendeel)s; PIP version %(versie)d drafted."),
        {"examendeel": keuze(Examendeel), "versie": geheel},
        vereist=("pip",),
    ),
)
