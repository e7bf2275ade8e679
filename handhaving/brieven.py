"""The Dutch wording and context of the fine procedure's letters (always Dutch: the legal text,
independent of the UI's language; the person's language is noted so a tolk is arranged).

Four letters (Awb title 5.4), each ``templates/handhaving/brieven/<soort>.html`` on
``_basis.html``, which extends the platform's letter base ``documents/brief.html`` (letterhead,
window address, kenmerk and page numbers, signature, the shared objection clause
``documents/_bezwaar.html``) and adds the rapport as an annex on its own page:

* ``voornemen`` (Awb 5:50, 5:53): the intent to fine, the amount on the letter's date, the
  zienswijze invitation (written or oral, with a tolk), inspection of the file (5:49) and the
  rapport (5:48) enclosed;
* ``boetebeschikking`` (Awb 5:52): ground, facts, zienswijze and its weighing, blame (5:41),
  the amount with any reduction (5:46), how to pay, the objection clause — and the rapport
  enclosed when no voornemen was sent, so the person has it no later than the decision (5:48);
* ``geen_boete``: the written notice that no fine is imposed, final (Awb 5:43);
* ``intrekking``: the fine withdrawn, a beschikking with its own objection clause.

``brief_context(brief)`` is the platform's context (``documenten._context``): it reads what
``documenten._load`` selected, the fine amount of the date (``selectors.tarief_op``), the
gemeente's policy, the Atw decree days, who drew up the rapport and the procedure's other
letters. A letter that lacks what the law requires it to say is refused (``BriefOnvolledig``),
so the task rolls the step back with the reason instead of sending an incomplete decision.
``voorbeeld_pdf(procedure, soort)`` renders the letter as it would be sent today, for the UI's
preview, marked "CONCEPT — niet verzonden", without writing anything.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from inburgering.documents import pdf as documents_pdf
from inburgering.documents.termijnen import bezwaar_einddatum_volgens_kalender
from inburgering.kalender import atw
from inburgering.kalender.selectors import atw_extra_dagen

from . import rules
from .constants import (
    BezwaarUitkomst,
    BoeteCategorie,
    BriefSoort,
    BriefStatus,
    Verlagingsgrond,
    VerzuimSoort,
    ZienswijzeSoort,
)
from .models import Boetetarief, Brief, HandhavingBeleid, Procedure
from .selectors import beleid_van, tarief_op

VERZUIM_NL: dict[str, str] = {
    VerzuimSoort.INTAKE_NIET_VERSCHENEN: "niet verschijnen voor de brede intake",
    VerzuimSoort.INTAKE_NIET_MEEGEWERKT: "niet meewerken aan de brede intake",
    VerzuimSoort.LEERBAARHEIDSTOETS: "niet meewerken aan de leerbaarheidstoets (brede intake)",
    VerzuimSoort.VOORTGANGSGESPREK: "niet deelnemen aan een voortgangsgesprek uit het PIP",
    VerzuimSoort.PVT: "niet deelnemen aan het participatieverklaringstraject (PVT) uit het PIP",
    VerzuimSoort.MAP: "niet deelnemen aan de module arbeidsmarkt en participatie (MAP) uit het PIP",
    VerzuimSoort.LESSEN: "niet deelnemen aan de inburgeringslessen uit het PIP",
}
VERPLICHTING_NL: dict[str, str] = {
    BoeteCategorie.INTAKE: (
        "de verplichting om te verschijnen voor en mee te werken aan de brede intake, "
        "inclusief de leerbaarheidstoets"
    ),
    BoeteCategorie.PIP: (
        "de verplichting om de afspraken in het persoonlijk plan inburgering en participatie "
        "(PIP) na te komen"
    ),
}
ZIENSWIJZE_NL: dict[str, str] = {
    ZienswijzeSoort.SCHRIFTELIJK: "schriftelijk",
    ZienswijzeSoort.MONDELING: "mondeling (verslag opgenomen in het dossier)",
    ZienswijzeSoort.GEEN: "geen zienswijze ontvangen binnen de gestelde termijn",
}
VERLAGING_NL: dict[str, str] = {
    Verlagingsgrond.GEEN_GROVE_SCHULD: "er is geen sprake van grove opzet of grove schuld",
    Verlagingsgrond.VERMINDERDE_VERWIJTBAARHEID: "er is sprake van verminderde verwijtbaarheid",
    Verlagingsgrond.BIJZONDERE_OMSTANDIGHEDEN: "er zijn bijzondere omstandigheden",
}
BEZWAAR_NL: dict[str, str] = {
    BezwaarUitkomst.ONGEGROND: "ongegrond",
    BezwaarUitkomst.GEGROND: "gegrond",
    BezwaarUitkomst.GEDEELTELIJK: "gedeeltelijk gegrond",
}
ONDERWERP_NL: dict[str, str] = {
    BriefSoort.VOORNEMEN: "Voornemen tot het opleggen van een bestuurlijke boete",
    BriefSoort.BOETEBESCHIKKING: "Besluit: bestuurlijke boete",
    BriefSoort.GEEN_BOETE: "Mededeling: geen bestuurlijke boete",
    BriefSoort.INTREKKING: "Besluit: intrekking van uw bestuurlijke boete",
}
CONCEPT_KENMERK = "CONCEPT"
CONCEPT_MARKERING = "CONCEPT — niet verzonden"


class BriefOnvolledig(ValueError):
    """The letter lacks what the law requires it to say: it is not sent (the task rolls back)."""


def euro(bedrag: Any) -> str:
    """€ 1.234,50 — the Dutch way."""
    if bedrag is None:
        return ""
    geheel, _, centen = f"{bedrag:.2f}".partition(".")
    groepen = f"{int(geheel):,}".replace(",", ".")
    return f"€ {groepen},{centen}"


def betaal_einddatum(dagtekening: date, dagen: int) -> date:
    """The last day to pay: ``dagen`` after the letter's date, moved to a working day (Atw)."""
    return atw.volgende_werkdag(dagtekening + timedelta(days=dagen), atw_extra_dagen())


def voorlopige_zienswijze_einddatum(beleid: HandhavingBeleid, vandaag: date) -> date:
    """The zienswijze term a voornemen sent today would give — the formula of
    ``services.voornemen_versturen``, for the preview only (nothing is stored)."""
    return rules.zienswijze_einddatum(vandaag, beleid.zienswijze_dagen, atw_extra_dagen())


def _naam(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _andere_brief(procedure: Procedure, soort: str) -> Brief | None:
    """The procedure's letter of ``soort`` that was sent (for a reference in this letter)."""
    if procedure.pk is None:
        return None
    return Brief.objects.filter(
        procedure_id=procedure.pk, soort=soort, status=BriefStatus.VERZONDEN
    ).first()


def _ontbreekt(brief: Brief, tarief: Boetetarief | None, bezwaar_tot: date | None) -> list[str]:
    """What the letter of this kind cannot go without."""
    procedure = brief.procedure
    ontbreekt = []
    if procedure.dossier.inburgeraar.postadres is None:
        ontbreekt.append("a postal address of the person (Awb 3:41)")
    if brief.soort in (BriefSoort.VOORNEMEN, BriefSoort.BOETEBESCHIKKING):
        if tarief is None:
            ontbreekt.append(f"a fine amount for {procedure.categorie} on this date")
        if procedure.rapport_datum is None:
            ontbreekt.append("the rapport (Awb 5:48)")
    if brief.soort == BriefSoort.VOORNEMEN and procedure.zienswijze_tot is None:
        ontbreekt.append("the zienswijze term (Awb 5:50)")
    if brief.soort == BriefSoort.BOETEBESCHIKKING:
        if procedure.bedrag is None or procedure.basisbedrag is None:
            ontbreekt.append("the amount (Awb 5:52)")
        if not procedure.verwijtbaarheid:
            ontbreekt.append("why the failure can be blamed (Awb 5:41)")
    if brief.soort == BriefSoort.GEEN_BOETE and not procedure.motivering:
        ontbreekt.append("why no fine is imposed")
    if brief.soort == BriefSoort.INTREKKING and not procedure.intrekking_reden:
        ontbreekt.append("the reason for the withdrawal")
    if brief.soort in (BriefSoort.BOETEBESCHIKKING, BriefSoort.INTREKKING) and bezwaar_tot is None:
        ontbreekt.append("the last day to object (Awb 6:7)")
    return ontbreekt


def brief_context(brief: Brief, *, concept: bool = False) -> dict[str, Any]:
    """The letter's data in Dutch. ``concept``: a preview (no check, provisional terms filled
    in as if sent on the letter's date)."""
    procedure = brief.procedure
    verzuim = procedure.verzuim
    dossier = procedure.dossier
    gemeente = dossier.gemeente
    inburgeraar = dossier.inburgeraar
    dagtekening = brief.dagtekening
    soort = brief.soort
    beleid = beleid_van(gemeente.pk)
    # the voornemen states the amount that applies on its date; a decision the amount (and its
    # legal ground) of the decision date
    tarief = tarief_op(
        procedure.categorie,
        dagtekening if soort == BriefSoort.VOORNEMEN else procedure.besluit_datum or dagtekening,
    )

    zienswijze_tot = procedure.zienswijze_tot
    if concept and soort == BriefSoort.VOORNEMEN and zienswijze_tot is None:
        zienswijze_tot = voorlopige_zienswijze_einddatum(beleid, dagtekening)
    if soort == BriefSoort.INTREKKING:
        bezwaar_tot: date | None = bezwaar_einddatum_volgens_kalender(dagtekening)
    elif soort == BriefSoort.BOETEBESCHIKKING:
        bezwaar_tot = procedure.bezwaar_tot
        if concept and bezwaar_tot is None:
            bezwaar_tot = bezwaar_einddatum_volgens_kalender(dagtekening)
    else:
        bezwaar_tot = None

    if not concept:
        ontbreekt = _ontbreekt(brief, tarief, bezwaar_tot)
        if ontbreekt:
            raise BriefOnvolledig(
                f"letter {brief.kenmerk} ({soort}) cannot be made without: " + "; ".join(ontbreekt)
            )

    basisbedrag = procedure.basisbedrag
    bedrag = procedure.bedrag
    if concept and bedrag is None and tarief is not None and soort == BriefSoort.BOETEBESCHIKKING:
        basisbedrag = bedrag = tarief.maximum  # not drafted yet: the fixed amount of the table
    verlaging = (basisbedrag - bedrag) if basisbedrag is not None and bedrag is not None else None
    heeft_verlaging = bool(verlaging and verlaging > Decimal("0"))

    voornemen_brief = _andere_brief(procedure, BriefSoort.VOORNEMEN)
    boete_brief = _andere_brief(procedure, BriefSoort.BOETEBESCHIKKING)
    rapport_bijlage = soort == BriefSoort.VOORNEMEN or (
        soort == BriefSoort.BOETEBESCHIKKING and procedure.voornemen_datum is None
    )
    werkcoach = dossier.werkcoach

    return {
        "brief": brief,
        "soort": soort,
        "kenmerk": brief.kenmerk,
        "onderwerp": ONDERWERP_NL.get(soort, ""),
        "concept": concept,
        "concept_markering": CONCEPT_MARKERING,
        "procedure": procedure,
        "verzuim": verzuim,
        "dossier": dossier,
        "inburgeraar": inburgeraar,
        "naam": inburgeraar.volledige_naam,
        "gemeente": gemeente,
        "beleid": beleid,
        "werkcoach_naam": _naam(werkcoach),
        "datum": dagtekening,
        "logo_url": documents_pdf.media_url(str(gemeente.logo.name)) if gemeente.logo else "",
        "verzuim_tekst": VERZUIM_NL.get(verzuim.soort, verzuim.soort),
        "verplichting": VERPLICHTING_NL.get(procedure.categorie, ""),
        "tarief": tarief,
        "tarief_bedrag": euro(tarief.maximum) if tarief else "",
        "grondslag": tarief.grondslag if tarief else "",
        "zware_boete": procedure.zware_boete,
        "taal": procedure.taal,
        "zienswijze_tot": zienswijze_tot,
        "zienswijze_gegeven": procedure.zienswijze_soort
        in (ZienswijzeSoort.SCHRIFTELIJK, ZienswijzeSoort.MONDELING),
        "zienswijze_tekst": ZIENSWIJZE_NL.get(procedure.zienswijze_soort, ""),
        "verlaging_tekst": VERLAGING_NL.get(procedure.verlaging_grond, ""),
        "bezwaar_uitkomst": BEZWAAR_NL.get(procedure.bezwaar_uitkomst, ""),
        "basisbedrag": euro(basisbedrag),
        "verlaging": euro(verlaging) if heeft_verlaging else "",
        "heeft_verlaging": heeft_verlaging,
        "bedrag": euro(bedrag),
        "betaal_tot": betaal_einddatum(dagtekening, beleid.betaal_dagen),
        "bezwaar_tot": bezwaar_tot,
        "rapport_bijlage": rapport_bijlage,
        "rapport_opsteller": _naam(procedure.rapport_door) if procedure.rapport_door_id else "",
        "voornemen_brief": voornemen_brief,
        "boete_brief": boete_brief,
    }


def voorbeeld_pdf(procedure: Procedure, soort: str) -> bytes:
    """The letter of ``soort`` as it would be sent today, for the UI's preview: an unsaved
    letter (kenmerk "CONCEPT", dated today) for the procedure as it is now, every page marked
    "CONCEPT — niet verzonden". Writes nothing. The caller checks access and loads
    ``procedure`` with its verzuim, dossier, inburgeraar, gemeente and werkcoach."""
    from inburgering.documents import registry

    from .documenten import code_van

    if soort not in BriefSoort.values:
        raise ValueError(f"unknown letter kind: {soort!r}")
    brief = Brief(
        procedure=procedure,
        soort=soort,
        kenmerk=CONCEPT_KENMERK,
        dagtekening=timezone.localdate(),
    )
    kind = registry.get(code_van(soort))
    return documents_pdf.render_pdf(kind.template, brief_context(brief, concept=True))
