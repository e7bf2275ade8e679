"""The timeline event kinds of the fine procedure (``cases.tijdlijn``). They are need-to-know:
only who may read handhaving (``handhaving.view_procedure``) sees them in the timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.tijdlijn import Gebeurtenissoort, datum, keuze, tekst

from .constants import Betaalstatus, BezwaarUitkomst, BriefSoort, VerzuimSoort, ZienswijzeSoort

LEESRECHT = "handhaving.view_procedure"

VERZUIM = "handhaving.verzuim"
GESPREK = "handhaving.gesprek"
AFGEDAAN = "handhaving.afgedaan"
RAPPORT = "handhaving.rapport"
BRIEF_VERZONDEN = "handhaving.brief_verzonden"
BRIEF_MISLUKT = "handhaving.brief_mislukt"
ZIENSWIJZE = "handhaving.zienswijze"
GEEN_BOETE = "handhaving.geen_boete"
PW_MAATREGEL = "handhaving.pw_maatregel"
BOETE_OPGESTELD = "handhaving.boete_opgesteld"
BOETE_TER_GOEDKEURING = "handhaving.boete_ter_goedkeuring"
BOETE_GOEDGEKEURD = "handhaving.boete_goedgekeurd"
BOETE_TERUGGESTUURD = "handhaving.boete_teruggestuurd"
BEZWAAR = "handhaving.bezwaar"
BEZWAAR_BESLIST = "handhaving.bezwaar_beslist"
BETAALSTATUS = "handhaving.betaalstatus"
INGETROKKEN = "handhaving.ingetrokken"


def _soort(
    code: str, label: object, tekst_: object, parameters: dict | None = None
) -> Gebeurtenissoort:
    return Gebeurtenissoort(
        code,
        label,  # type: ignore[arg-type]
        tekst_,  # type: ignore[arg-type]
        parameters or {},
        leesrecht=LEESRECHT,
    )


SOORTEN = (
    _soort(
        VERZUIM,
        _("failure recorded"),
        _("Failure recorded: %(verzuim)s on %(datum)s."),
        {"verzuim": keuze(VerzuimSoort), "datum": datum},
    ),
    _soort(
        GESPREK,
        _("hearing conversation"),
        _("Hearing conversation (hoor en wederhoor) on %(datum)s."),
        {"datum": datum},
    ),
    _soort(
        AFGEDAAN,
        _("settled with a conversation"),
        _("Enforcement ends with the conversation: %(reden)s"),
        {"reden": tekst},
    ),
    _soort(
        RAPPORT,
        _("rapport drawn up"),
        _("Rapport (Awb 5:48) dated %(datum)s."),
        {"datum": datum},
    ),
    _soort(
        BRIEF_VERZONDEN,
        _("letter sent"),
        _("%(brief)s sent (%(kenmerk)s)."),
        {"brief": keuze(BriefSoort), "kenmerk": tekst},
    ),
    _soort(
        BRIEF_MISLUKT,
        _("letter not made"),
        _("%(brief)s could not be made; nothing was sent."),
        {"brief": keuze(BriefSoort)},
    ),
    _soort(
        ZIENSWIJZE,
        _("zienswijze"),
        _("Zienswijze recorded: %(zienswijze)s."),
        {"zienswijze": keuze(ZienswijzeSoort)},
    ),
    _soort(GEEN_BOETE, _("no fine"), _("Decided not to fine (final, Awb 5:43)."), {}),
    _soort(
        PW_MAATREGEL,
        _("Participatiewet measure"),
        _("A Participatiewet measure instead of a fine, agreed with %(consulent)s."),
        {"consulent": tekst},
    ),
    _soort(
        BOETE_OPGESTELD,
        _("fine drafted"),
        _("Fine of €%(bedrag)s drafted."),
        {"bedrag": tekst},
    ),
    _soort(
        BOETE_TER_GOEDKEURING,
        _("fine submitted"),
        _("Fine of €%(bedrag)s submitted for approval."),
        {"bedrag": tekst},
    ),
    _soort(BOETE_GOEDGEKEURD, _("fine approved"), _("Fine approved by the teamleider."), {}),
    _soort(
        BOETE_TERUGGESTUURD,
        _("fine returned"),
        _("Fine returned to the werkcoach: %(opmerking)s"),
        {"opmerking": tekst},
    ),
    _soort(
        BEZWAAR,
        _("objection"),
        _("Objection received on %(datum)s."),
        {"datum": datum},
    ),
    _soort(
        BEZWAAR_BESLIST,
        _("objection decided"),
        _("Objection decided: %(uitkomst)s."),
        {"uitkomst": keuze(BezwaarUitkomst)},
    ),
    _soort(
        BETAALSTATUS,
        _("payment"),
        _("Payment of the fine: %(status)s."),
        {"status": keuze(Betaalstatus)},
    ),
    _soort(
        INGETROKKEN,
        _("fine withdrawn"),
        _("Fine withdrawn: %(reden)s"),
        {"reden": tekst},
    ),
)
