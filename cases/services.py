"""Every write to the dossier core goes through these functions (UI, API, commands, tasks).

Each takes the acting user (``None`` for system actions), checks the role through the access
policy, validates with ``full_clean()``, writes history with the actor and a reason, and records a
timeline event — all in one transaction, so a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from inburgering.accounts.models import Gemeente, User
from inburgering.core import weergave
from inburgering.core.access import ensure_has_perm
from inburgering.core.integrity import ConflictError, constraint_conflicts

from . import rules, termijnen, tijdlijn
from .constants import (
    ADRES_SOORTEN,
    FASE_VOLGORDE,
    OPEN_FASEN,
    PERSOON_VELDEN,
    Fase,
    Regime,
)
from .feitdatums import feitdatum_fout
from .hub import hub
from .models import Dossier, Gebeurtenis, Inburgeraar
from .policy import dossiers_for, ensure_can_edit_dossier

INBURGERAAR_FIELDS = set(PERSOON_VELDEN)
DOSSIER_CREATE_FIELDS = {
    "gemeente",
    "werkcoach",
    "fase",
    "datum_koppeling",
    "datum_huisvesting",
    "datum_brp_inschrijving",
    "coa_referentie",
}
DOSSIER_UPDATE_FIELDS = {
    "werkcoach",
    "datum_koppeling",
    "datum_huisvesting",
    "datum_brp_inschrijving",
    "coa_referentie",
}

# The messages below name the rule that forbids the action.
MSG_OPEN_DOSSIER = gettext_lazy(
    "This person already has an open dossier (possibly in another gemeente). A person has at "
    "most one open dossier; ask that gemeente to relocate it."
)


def _save(obj: Any, *, user: User | None, reden: str = "") -> None:
    obj._history_user = user
    if reden:
        obj._change_reason = reden
    obj.full_clean()
    obj.save()


def _normaliseer_adres(fields: dict[str, Any]) -> None:
    """Postcodes as '1234 AB', house letters in capitals, stray spaces removed (every path)."""
    for soort in ADRES_SOORTEN:
        postcode = fields.get(f"{soort}_postcode")
        if isinstance(postcode, str):
            fields[f"{soort}_postcode"] = rules.normalise_postcode(postcode)
        huisletter = fields.get(f"{soort}_huisletter")
        if isinstance(huisletter, str):
            fields[f"{soort}_huisletter"] = huisletter.strip().upper()
        for deel in ("straat", "toevoeging", "woonplaats"):
            waarde = fields.get(f"{soort}_{deel}")
            if isinstance(waarde, str):
                fields[f"{soort}_{deel}"] = " ".join(waarde.split())


def gebeurtenis_vastleggen(
    *,
    dossier: Dossier,
    soort: str,
    actor: User | None,
    gegevens: Mapping[str, Any] | None = None,
    omschrijving: str = "",
) -> Gebeurtenis:
    """Append a timeline event: a registered kind (``cases.tijdlijn``) with its parameters,
    rendered in the reader's language when read. Only a note (free text) passes
    ``omschrijving``. An unknown kind or a missing parameter is refused."""
    gebeurtenis = Gebeurtenis(
        dossier=dossier,
        soort=soort,
        actor=actor,
        omschrijving=omschrijving,
        gegevens=dict(gegevens or {}),
    )
    gebeurtenis.full_clean(exclude=["dossier", "actor"])  # both are saved rows already
    gebeurtenis.save(force_insert=True)
    return gebeurtenis


def _peildatum(dossier: Dossier) -> date:
    """The day the obligation is judged on: the earliest known key date, else today."""
    known = [
        d
        for d in (
            dossier.datum_koppeling,
            dossier.datum_brp_inschrijving,
            dossier.datum_huisvesting,
        )
        if d
    ]
    return min(known) if known else timezone.localdate()


def _check_leeftijd(inburgeraar: Inburgeraar, peildatum: date) -> None:
    reden = rules.leeftijd_weigering(inburgeraar.geboortedatum, peildatum)
    if reden is None:
        return
    messages = {
        "jonger dan 16": _(
            "On %(datum)s this person is younger than 16; the inburgeringsplicht starts at 16 "
            "(Wet inburgering 2021, art. 3)."
        ),
        "AOW-leeftijd bereikt": _(
            "On %(datum)s this person has reached the AOW age; the inburgeringsplicht ends there "
            "(Wet inburgering 2021, art. 3)."
        ),
    }
    message = messages.get(reden, _("The date of birth lies after %(datum)s."))
    raise ValidationError({"geboortedatum": message % {"datum": weergave.datum(peildatum)}})


def _check_geen_open_dossier(
    inburgeraar: Inburgeraar, *, field: str = "bsn", exclude: Dossier | None = None
) -> None:
    # Unscoped on purpose: the open dossier may be in a gemeente this user cannot see.
    with scopes_disabled():
        others = Dossier.objects.filter(inburgeraar=inburgeraar, fase__in=OPEN_FASEN)
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        if others.exists():
            raise ValidationError({field: MSG_OPEN_DOSSIER})


@transaction.atomic
def dossier_create(
    *,
    user: User | None,
    inburgeraar: Inburgeraar,
    gemeente: Gemeente,
    fase: str = Fase.AANGEMELD,
    werkcoach: User | None = None,
    datum_koppeling: date | None = None,
    datum_huisvesting: date | None = None,
    datum_brp_inschrijving: date | None = None,
    coa_referentie: str = "",
    vorig_dossier: Dossier | None = None,
    reden: str = "",
) -> Dossier:
    ensure_has_perm(user, "cases.add_dossier")
    dossier = Dossier(
        inburgeraar=inburgeraar,
        gemeente=gemeente,
        fase=fase,
        werkcoach=werkcoach,
        datum_koppeling=datum_koppeling,
        datum_huisvesting=datum_huisvesting,
        datum_brp_inschrijving=datum_brp_inschrijving,
        coa_referentie=coa_referentie,
        vorig_dossier=vorig_dossier,
    )
    if vorig_dossier is None:
        ensure_can_edit_dossier(user, dossier)
    if not rules.is_open(fase):
        raise ValidationError({"fase": _("A new dossier must start in an open phase.")})
    if vorig_dossier is None and inburgeraar.regime == Regime.WI2021:
        # A new dossier has no intake or PIP yet; a relocated one brings its phase along.
        ontbreekt = rules.fase_feit_ontbreekt(fase, intake_afgerond=False, pip_vastgesteld=False)
        if ontbreekt:
            raise ValidationError(
                {"fase": FASE_FEIT_WEIGERINGEN[ontbreekt] % {"fase": Fase(fase).label}}
            )
    _check_geen_open_dossier(inburgeraar, field="inburgeraar")
    _check_leeftijd(inburgeraar, _peildatum(dossier))
    try:
        with transaction.atomic():
            _save(dossier, user=user, reden=reden or _("Dossier created"))
    except IntegrityError as exc:  # a concurrent request created one first: 409 in the API
        raise ConflictError({"inburgeraar": MSG_OPEN_DOSSIER}) from exc
    termijnen.herberekenen(dossier, user=user)
    gebeurtenis_vastleggen(
        dossier=dossier,
        soort=tijdlijn.DOSSIER_AANGEMAAKT,
        actor=user,
        gegevens={"fase": dossier.fase},
    )
    if werkcoach:
        gebeurtenis_vastleggen(
            dossier=dossier,
            soort=tijdlijn.DOSSIER_TOEGEWEZEN,
            actor=user,
            gegevens={"rol": "werkcoach", "naam": str(werkcoach)},
        )
    return dossier


@transaction.atomic
def inburgeraar_aanmelden(
    *, user: User | None, persoon: Mapping[str, Any], dossier: Mapping[str, Any]
) -> Dossier:
    """Register a person together with their dossier.

    A person is visible through their dossiers, so nobody registers a person without one. When the
    BSN is already known (say, a closed dossier elsewhere) the existing record is reused and
    updated; a person with an open dossier anywhere is refused.
    """
    ensure_has_perm(user, "cases.add_inburgeraar")
    unknown = (set(persoon) - INBURGERAAR_FIELDS) | (set(dossier) - DOSSIER_CREATE_FIELDS)
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    persoon = dict(persoon)
    _normaliseer_adres(persoon)
    bsn = rules.normalise_bsn(str(persoon.get("bsn", "")))
    with scopes_disabled():
        inburgeraar = Inburgeraar.objects.filter(bsn=bsn).first()
    if inburgeraar is not None:
        _check_geen_open_dossier(inburgeraar)
    else:
        inburgeraar = Inburgeraar()
    for field, value in persoon.items():
        setattr(inburgeraar, field, value)
    inburgeraar.bsn = bsn
    # Person and dossier are validated together so a form shows every error at once.
    errors: dict[str, Any] = {}
    try:
        cast(Any, inburgeraar)._history_user = user
        # the change is made for the new dossier's gemeente (its history record says so)
        cast(Any, inburgeraar)._historie_gemeente_id = getattr(dossier.get("gemeente"), "pk", None)
        inburgeraar.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with constraint_conflicts():  # a concurrent registration of this BSN: 409, not 500
        inburgeraar.save()
    return dossier_create(user=user, inburgeraar=inburgeraar, **dossier)


@transaction.atomic
def inburgeraar_update(
    *, user: User | None, inburgeraar: Inburgeraar, reden: str = "", **fields: Any
) -> Inburgeraar:
    ensure_has_perm(user, "cases.change_inburgeraar")
    unknown = set(fields) - INBURGERAAR_FIELDS
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    open_dossiers = [d for d in inburgeraar.dossiers.all() if d.is_open]
    if user is not None and not open_dossiers:
        raise ValidationError(_("Only a person with an open dossier can be changed."))
    for d in open_dossiers:
        ensure_can_edit_dossier(user, d)
    _normaliseer_adres(fields)
    if "bsn" in fields:
        fields["bsn"] = rules.normalise_bsn(str(fields["bsn"]))
        with scopes_disabled():
            taken = Inburgeraar.objects.filter(bsn=fields["bsn"]).exclude(pk=inburgeraar.pk)
            if taken.exists():
                raise ValidationError({"bsn": _("Another person is registered with this BSN.")})
    changed = [f for f, v in fields.items() if getattr(inburgeraar, f) != v]
    for field, value in fields.items():
        setattr(inburgeraar, field, value)
    if "geboortedatum" in changed:
        for d in open_dossiers:
            _check_leeftijd(inburgeraar, _peildatum(d))
    _save(inburgeraar, user=user, reden=reden or _("Personal details changed"))
    if {"doelgroep", "regime"} & set(changed):
        for d in open_dossiers:
            termijnen.herberekenen(d, user=user)
    if changed:
        for d in open_dossiers:
            gebeurtenis_vastleggen(
                dossier=d,
                soort=tijdlijn.DOSSIER_PERSOON_GEWIJZIGD,
                actor=user,
                gegevens={"velden": changed},
            )
    return inburgeraar


@transaction.atomic
def dossier_update(
    *, user: User | None, dossier: Dossier, reden: str = "", **fields: Any
) -> Dossier:
    ensure_has_perm(user, "cases.change_dossier")
    ensure_can_edit_dossier(user, dossier)
    unknown = set(fields) - DOSSIER_UPDATE_FIELDS
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    if not dossier.is_open:
        raise ValidationError(_("A closed dossier cannot be changed."))
    old = {f: getattr(dossier, f) for f in fields}
    for field, value in fields.items():
        setattr(dossier, field, value)
    changed = [f for f in fields if old[f] != getattr(dossier, f)]
    if not changed:
        return dossier
    if any(f.startswith("datum_") for f in changed):
        _check_leeftijd(dossier.inburgeraar, _peildatum(dossier))
    _save(dossier, user=user, reden=reden or _("Dossier changed"))
    if any(f.startswith("datum_") for f in changed):
        termijnen.herberekenen(dossier, user=user)
        # A recorded intake or PIP waited for these dates to move the phase on.
        dossier_fase_volgen(user=user, dossier=dossier, reden=reden or _("Key date recorded"))
    for role in ("werkcoach",):
        if role in changed:
            person = getattr(dossier, role)
            gegevens: dict[str, Any] = {"rol": role, "reden": reden}
            if person:
                gegevens["naam"] = str(person)
            gebeurtenis_vastleggen(
                dossier=dossier,
                soort=(
                    tijdlijn.DOSSIER_TOEGEWEZEN if person else tijdlijn.DOSSIER_TOEWIJZING_BEEINDIGD
                ),
                actor=user,
                gegevens=gegevens,
            )
    other = [f for f in changed if f != "werkcoach"]
    if other:
        gebeurtenis_vastleggen(
            dossier=dossier,
            soort=tijdlijn.DOSSIER_GEWIJZIGD,
            actor=user,
            gegevens={"velden": other, "reden": reden},
        )
    return dossier


FASE_WEIGERINGEN = {
    "gesloten": gettext_lazy("This dossier is closed; a closed dossier does not change phase."),
    "zelfde": gettext_lazy("The dossier is already in this phase."),
    "verhuizing": gettext_lazy(
        "Use “relocate” to move a dossier to another gemeente (Wi 2021, verhuizing)."
    ),
    "terug": gettext_lazy("A phase cannot go back; phases only move forward."),
}

# The legal fact a phase stands on, named in the refusal when it is missing (rules.FASE_FEITEN).
FASE_FEIT_WEIGERINGEN = {
    "intake_afgerond": gettext_lazy(
        "The brede intake is not completed (Wi 2021 art. 14): the dossier cannot move to "
        "“%(fase)s” before it is. Completing the intake moves it to the PIP phase."
    ),
    "pip_vastgesteld": gettext_lazy(
        "No PIP has been vastgesteld (Wi 2021 art. 15): the dossier cannot move to “%(fase)s” "
        "before it is. Issuing the PIP moves it to the inburgering phase."
    ),
}


def _fase_feiten(dossier: Dossier) -> dict[str, bool]:
    """Which phase facts are recorded, read from the key dates the hub's parts register
    (``cases`` does not import the apps that own the intake and the PIP). A fact no part
    reports counts as missing."""
    gezet = {s.feit: bool(s.datum) for s in hub.sleuteldata(hub.feiten(dossier)) if s.feit}
    return {feit: gezet.get(feit, False) for _fase, feit in rules.FASE_FEITEN}


@transaction.atomic
def dossier_fase_wijzigen(
    *, user: User | None, dossier: Dossier, fase: str, reden: str = ""
) -> Dossier:
    """Change the phase by hand (or for a recorded fact, see ``dossier_fase_volgen``).

    Forward only; never past a phase whose legal fact is missing (Wi2021 dossiers: the
    Wi2013 regime has no brede intake or PIP of this law); always with a reason. Every refusal
    is collected and raised at its field.
    """
    ensure_has_perm(user, "cases.change_dossier")
    ensure_can_edit_dossier(user, dossier)
    errors: dict[str, list[Any]] = {}
    weigering = rules.fase_overgang_weigering(dossier.fase, fase)
    if weigering:
        errors["fase"] = [FASE_WEIGERINGEN[weigering]]
    elif dossier.inburgeraar.regime == Regime.WI2021:
        ontbreekt = rules.fase_feit_ontbreekt(fase, **_fase_feiten(dossier))
        if ontbreekt:
            errors["fase"] = [
                FASE_FEIT_WEIGERINGEN[ontbreekt] % {"fase": Fase(fase).label},
            ]
    if not reden.strip():
        errors["reden"] = [
            _("Give the reason for ending the dossier.")
            if fase == Fase.BEEINDIGD
            else _("Give the reason for the phase change.")
        ]
    van_fase = dossier.fase
    if "fase" not in errors:
        dossier.fase = fase
        try:
            dossier.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        dossier.fase = van_fase
        raise ValidationError(errors)
    if not rules.is_open(fase):
        dossier.datum_afgesloten = timezone.localdate()
    _save(dossier, user=user, reden=reden)
    if not dossier.is_open:
        termijnen.herberekenen(dossier, user=user)  # open clocks of a closed dossier lapse
    gebeurtenis_vastleggen(
        dossier=dossier,
        soort=tijdlijn.DOSSIER_FASE,
        actor=user,
        gegevens={"van": van_fase, "naar": dossier.fase, "fase": fase, "reden": reden},
    )
    return dossier


@transaction.atomic
def dossier_fase_volgen(*, user: User | None, dossier: Dossier, reden: str) -> Dossier:
    """Move the dossier forward to the phase its recorded facts imply (brede intake completed →
    PIP, PIP vastgesteld → inburgering). Called by the service that records the fact, and after
    a key date is recorded.

    Never moves back. When the dates the implied phase requires are not recorded yet (an intake
    completed in the AZC before BRP registration), the dossier stays where it is and follows
    as soon as they are (``dossier_update`` calls this again).
    """
    if not dossier.is_open:
        return dossier
    feiten = _fase_feiten(dossier)
    doel = rules.feitelijke_fase(**feiten)
    if doel is None or not rules.fase_na(dossier.fase, doel):
        return dossier
    doelgroep = dossier.inburgeraar.doelgroep
    wi2021 = dossier.inburgeraar.regime == Regime.WI2021
    # The furthest phase up to ``doel`` whose dates and facts are all recorded.
    bereikbaar = None
    for fase in FASE_VOLGORDE[FASE_VOLGORDE.index(Fase(dossier.fase)) + 1 :]:
        if any(not getattr(dossier, f) for f in rules.vereiste_datums(fase, doelgroep)):
            break
        if wi2021 and rules.fase_feit_ontbreekt(fase, **feiten):
            break
        bereikbaar = fase
        if fase == doel:
            break
    if bereikbaar is None:
        return dossier
    return dossier_fase_wijzigen(user=user, dossier=dossier, fase=bereikbaar, reden=reden)


@transaction.atomic
def dossiers_toewijzen(
    *, user: User | None, dossiers: Iterable[Dossier], werkcoach: User, reden: str = ""
) -> int:
    """Teamleider's (bulk) reassignment: all or nothing."""
    ensure_has_perm(user, "cases.toewijzen_dossier")
    count = 0
    for dossier in dossiers:
        if dossier.werkcoach_id == werkcoach.pk:
            continue
        try:
            dossier_update(
                user=user, dossier=dossier, werkcoach=werkcoach, reden=reden or _("Reassigned")
            )
        except ValidationError as exc:
            raise ValidationError(
                {"werkcoach": [f"{dossier.inburgeraar}: {m}" for m in exc.messages]}
            ) from exc
        count += 1
    return count


@transaction.atomic
def dossier_verhuizen(
    *,
    user: User | None,
    dossier: Dossier,
    nieuwe_gemeente: Gemeente,
    datum_verhuizing: date,
    reden: str = "",
) -> Dossier:
    """Relocation: close this dossier as ``verhuisd`` and open the next one in the new gemeente,
    which adopts the phase (and so the leerroute) already set."""
    ensure_has_perm(user, "cases.verhuizen_dossier")
    ensure_can_edit_dossier(user, dossier)
    if not dossier.is_open:
        raise ValidationError(_("Only an open dossier can be relocated."))
    if nieuwe_gemeente.pk == dossier.gemeente_id:
        raise ValidationError({"nieuwe_gemeente": _("Choose a different gemeente.")})
    verhuizing_fout = feitdatum_fout(datum_verhuizing)  # a move that has happened
    if verhuizing_fout:
        raise ValidationError({"datum_verhuizing": verhuizing_fout})
    fase = dossier.fase
    dossier.fase = Fase.VERHUISD
    dossier.datum_afgesloten = datum_verhuizing
    _save(dossier, user=user, reden=reden or _("Relocated"))
    termijnen.herberekenen(dossier, user=user)
    nieuw = dossier_create(
        user=user,
        inburgeraar=dossier.inburgeraar,
        gemeente=nieuwe_gemeente,
        fase=fase,
        datum_koppeling=dossier.datum_koppeling,
        datum_huisvesting=dossier.datum_huisvesting,
        datum_brp_inschrijving=dossier.datum_brp_inschrijving,
        coa_referentie=dossier.coa_referentie,
        vorig_dossier=dossier,
        reden=_("Taken over after relocation from %(gemeente)s") % {"gemeente": dossier.gemeente},
    )
    gebeurtenis_vastleggen(
        dossier=dossier,
        soort=tijdlijn.DOSSIER_VERHUISD,
        actor=user,
        gegevens={
            "gemeente": str(nieuwe_gemeente),
            "datum": datum_verhuizing.isoformat(),
            "nieuw_dossier": str(nieuw.uuid),
            "reden": reden,
        },
    )
    return nieuw


@transaction.atomic
def dossier_notitie_toevoegen(*, user: User, dossier: Dossier, tekst: str) -> Gebeurtenis:
    ensure_has_perm(user, "cases.notitie_dossier")
    if not dossiers_for(user).filter(pk=dossier.pk).exists():
        raise ValidationError(_("You cannot add a note to this dossier."))
    if not tekst.strip():
        raise ValidationError({"tekst": _("A note cannot be empty.")})
    return gebeurtenis_vastleggen(
        dossier=dossier, soort=tijdlijn.DOSSIER_NOTITIE, actor=user, omschrijving=tekst.strip()
    )
