"""The steps of maatschappelijke begeleiding. Every path (UI, API, the offline app's replay, demo
data) goes through these functions: each checks its action with the policy engine, refuses bad
input per field naming its rule, runs in one transaction with the row locked, writes history
with its actor, adds a timeline event and recomputes the dossier's clocks.

The dossier's ``begeleider`` field is kept equal to the running begeleiding's begeleider here
(it is who the termijn sweep signals besides the werkcoach); access itself comes from the
running ``Aanmelding`` (``policy.partner_toegang``)."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import termijnen
from cases.constants import SignaalSoort
from cases.feitdatums import feitdatum_fout
from cases.models import Dossier, Signaal
from cases.services import gebeurtenis_vastleggen
from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.accounts.models import Organisatie, User
from inburgering.core import weergave
from inburgering.core.access import mag, vereis

from . import tijdlijn
from .constants import (
    SIGNAAL_OPVOLGEN_DAGEN,
    AanmeldingStatus,
    Aanwezige,
    ActieEigenaar,
    ContactSoort,
    Onderwerp,
)
from .models import Aanmelding, Contactmoment, Vervolgactie
from .selectors import beleid_van, lopende_aanmelding, standaard_einddatum
from .termijnregels import SIGNAAL

# the fields of a contact the client sends (and a replay is compared on)
CONTACT_VELDEN = (
    "tijdstip",
    "soort",
    "duur_minuten",
    "aanwezig",
    "onderwerpen",
    "verslag",
    "signaal_werkcoach",
    "signaal_toelichting",
)


class VersieConflict(Exception):
    """The record changed on the server since the client read it (or a replay of the same
    UUID carries other content): a 409 with the server's version, never a silent overwrite."""

    def __init__(self, huidige: Contactmoment, bericht: str) -> None:
        super().__init__(bericht)
        self.huidige = huidige
        self.bericht = bericht


@dataclass(frozen=True)
class NieuweActie:
    omschrijving: str
    eigenaar: str
    deadline: date | None
    uuid: uuidlib.UUID | None = None


# --- helpers ---------------------------------------------------------------------------------


def _save(obj: Any, *, user: User | None, reden: str) -> None:
    obj._history_user = user
    obj._change_reason = reden
    obj.full_clean()
    obj.save()


def _raise(fouten: Mapping[str, Any]) -> None:
    if fouten:
        raise ValidationError({k: v if isinstance(v, list) else [v] for k, v in fouten.items()})


def _gebeurtenis(dossier: Dossier, user: User | None, code: str, **gegevens: Any) -> None:
    gebeurtenis_vastleggen(dossier=dossier, soort=code, actor=user, gegevens=gegevens)


def _vergrendel(aanmelding: Aanmelding) -> Aanmelding:
    return (
        Aanmelding.objects.select_for_update(of=("self",))
        .select_related("dossier", "organisatie", "begeleider")
        .get(pk=aanmelding.pk)
    )


def _status_fout(aanmelding: Aanmelding, *toegestaan: str) -> None:
    if aanmelding.status not in toegestaan:
        raise ValidationError(
            {
                "status": _("This cannot be done now: the referral is “%(status)s”.")
                % {"status": aanmelding.get_status_display()}
            }
        )


def _dossier_begeleider(dossier: Dossier, begeleider: User | None, user: User | None) -> None:
    """Keep ``Dossier.begeleider`` equal to the running begeleiding's begeleider."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.begeleider_id == (begeleider.pk if begeleider else None):
        return
    dossier.begeleider = begeleider
    dossier._history_user = user  # type: ignore[attr-defined]
    dossier._change_reason = _("Maatschappelijke begeleiding")  # type: ignore[attr-defined]
    dossier.save(update_fields=["begeleider"])


def _herberekenen(dossier: Dossier, user: User | None) -> None:
    termijnen.herberekenen(dossier, user=user, reden=_("Maatschappelijke begeleiding"))


def _begeleider_fout(organisatie: Organisatie, begeleider: User | None) -> str | None:
    if begeleider is None:
        return _("Choose the begeleider.")
    if (
        not begeleider.is_active
        or begeleider.organisatie_id != organisatie.pk
        or not begeleider.heeft_rol(Rol.BEGELEIDER)
    ):
        return _("Choose a maatschappelijk begeleider of %(organisatie)s.") % {
            "organisatie": organisatie
        }
    return None


def _naam(user: User | None) -> str:
    return user.get_full_name() or user.username if user else ""


# --- the referral ------------------------------------------------------------------------------


@transaction.atomic
def aanmelden(
    *,
    user: User | None,
    dossier: Dossier,
    organisatie: Organisatie | None,
    afspraken: str,
    voor_partner: str = "",
    geinformeerd_op: date | None,
    toestemming_op: date | None = None,
    einddatum: date | None = None,
) -> Aanmelding:
    """The werkcoach refers the dossier to a partner organisation. Nothing is shared before the
    person was informed (AVG art. 13), nor without their consent where the gemeente asks."""
    vereis(user, "begeleiding.aanmelden", dossier)
    dossier = Dossier.objects.select_for_update().select_related("gemeente").get(pk=dossier.pk)
    fouten: dict[str, Any] = {}
    if not dossier.is_open:
        fouten["dossier"] = _("A closed dossier cannot be referred.")
    if lopende_aanmelding(dossier) is not None:
        fouten["dossier"] = _(
            "This dossier already has a referral or begeleiding running: one at a time."
        )
    if organisatie is None:
        fouten["organisatie"] = _("Choose the partner organisation.")
    elif (
        organisatie.soort != OrganisatieSoort.PARTNER
        or not organisatie.gemeenten.filter(pk=dossier.gemeente_id).exists()
    ):
        fouten["organisatie"] = _("%(organisatie)s is no partner organisation in %(gemeente)s.") % {
            "organisatie": organisatie,
            "gemeente": dossier.gemeente,
        }
    if not (afspraken or "").strip():
        fouten["afspraken"] = _("Write down the PIP's agreements on begeleiding (theme 4).")
    if geinformeerd_op is None:
        fouten["geinformeerd_op"] = _(
            "Record when the person was informed about what is shared with the partner: nothing "
            "is shared before that (AVG art. 13)."
        )
    else:
        fout = feitdatum_fout(geinformeerd_op)
        if fout:
            fouten["geinformeerd_op"] = fout
    if toestemming_op is not None:
        fout = feitdatum_fout(toestemming_op)
        if fout:
            fouten["toestemming_op"] = fout
    elif beleid_van(dossier.gemeente_id).toestemming_vereist:
        fouten["toestemming_op"] = _(
            "This gemeente shares with a partner only with the person's consent (AVG art. 6(1)(a), "
            "gemeente policy): record when it was given."
        )
    if einddatum is not None and einddatum <= timezone.localdate():
        fouten["einddatum"] = _("The end of the begeleiding must be after today.")
    _raise(fouten)
    assert organisatie is not None and geinformeerd_op is not None
    aanmelding = Aanmelding(
        dossier=dossier,
        organisatie=organisatie,
        afspraken=afspraken.strip(),
        voor_partner=(voor_partner or "").strip(),
        geinformeerd_op=geinformeerd_op,
        toestemming_op=toestemming_op,
        aangemeld_door=user,
        einddatum=einddatum or standaard_einddatum(dossier),
    )
    _save(aanmelding, user=user, reden=_("Referred to maatschappelijke begeleiding"))
    _gebeurtenis(dossier, user, tijdlijn.AANGEMELD, organisatie=organisatie.naam)
    return aanmelding


@transaction.atomic
def accepteren(
    *,
    user: User | None,
    aanmelding: Aanmelding,
    begeleider: User | None,
    startdatum: date | None = None,
) -> Aanmelding:
    """The partner's coördinator accepts and assigns a begeleider: from now on the begeleider
    (and the coördinator) reach the dossier, until the end date."""
    aanmelding = _vergrendel(aanmelding)
    vereis(user, "begeleiding.beoordelen", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.AANGEMELD)
    startdatum = startdatum or timezone.localdate()
    fouten: dict[str, Any] = {}
    fout = _begeleider_fout(aanmelding.organisatie, begeleider)
    if fout:
        fouten["begeleider"] = fout
    if startdatum >= aanmelding.einddatum:
        fouten["startdatum"] = _("The begeleiding ends on %(einde)s: start before that.") % {
            "einde": weergave.datum(aanmelding.einddatum)
        }
    elif startdatum < aanmelding.aangemeld_op.date():
        fouten["startdatum"] = _(
            "The begeleiding cannot start before the referral (%(datum)s)."
        ) % {"datum": weergave.datum(aanmelding.aangemeld_op.date())}
    _raise(fouten)
    assert begeleider is not None
    aanmelding.status = AanmeldingStatus.LOOPT
    aanmelding.begeleider = begeleider
    aanmelding.startdatum = startdatum
    aanmelding.beoordeeld_door = user
    aanmelding.beoordeeld_op = timezone.now()
    _save(aanmelding, user=user, reden=_("Referral accepted"))
    _dossier_begeleider(aanmelding.dossier, begeleider, user)
    _gebeurtenis(
        aanmelding.dossier,
        user,
        tijdlijn.GEACCEPTEERD,
        organisatie=aanmelding.organisatie.naam,
        begeleider=_naam(begeleider),
        start=startdatum.isoformat(),
        einde=aanmelding.einddatum.isoformat(),
    )
    _herberekenen(aanmelding.dossier, user)
    return aanmelding


@transaction.atomic
def afwijzen(*, user: User | None, aanmelding: Aanmelding, reden: str) -> Aanmelding:
    aanmelding = _vergrendel(aanmelding)
    vereis(user, "begeleiding.beoordelen", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.AANGEMELD)
    if not (reden or "").strip():
        _raise({"afwijsreden": _("Give the reason for declining, for the werkcoach.")})
    aanmelding.status = AanmeldingStatus.AFGEWEZEN
    aanmelding.afwijsreden = reden.strip()
    aanmelding.beoordeeld_door = user
    aanmelding.beoordeeld_op = timezone.now()
    _save(aanmelding, user=user, reden=_("Referral declined"))
    _gebeurtenis(
        aanmelding.dossier,
        user,
        tijdlijn.AFGEWEZEN,
        organisatie=aanmelding.organisatie.naam,
        reden=aanmelding.afwijsreden,
    )
    return aanmelding


@transaction.atomic
def toewijzen(*, user: User | None, aanmelding: Aanmelding, begeleider: User | None) -> Aanmelding:
    """The coördinator hands a running begeleiding to another begeleider; the previous one no
    longer reaches the dossier."""
    aanmelding = _vergrendel(aanmelding)
    vereis(user, "begeleiding.toewijzen", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.LOOPT)
    fout = _begeleider_fout(aanmelding.organisatie, begeleider)
    if fout:
        _raise({"begeleider": fout})
    assert begeleider is not None
    if begeleider.pk == aanmelding.begeleider_id:
        return aanmelding
    aanmelding.begeleider = begeleider
    _save(aanmelding, user=user, reden=_("Begeleider assigned"))
    _dossier_begeleider(aanmelding.dossier, begeleider, user)
    _gebeurtenis(aanmelding.dossier, user, tijdlijn.TOEGEWEZEN, begeleider=_naam(begeleider))
    return aanmelding


@transaction.atomic
def intrekken(*, user: User | None, aanmelding: Aanmelding, reden: str) -> Aanmelding:
    """The werkcoach withdraws a referral or ends a running begeleiding early: the partner's
    access ends at once."""
    aanmelding = _vergrendel(aanmelding)
    vereis(user, "begeleiding.beheren", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.AANGEMELD, AanmeldingStatus.LOOPT)
    if not (reden or "").strip():
        _raise({"ingetrokken_reden": _("Give the reason for withdrawing.")})
    aanmelding.status = AanmeldingStatus.INGETROKKEN
    aanmelding.ingetrokken_reden = reden.strip()
    _save(aanmelding, user=user, reden=_("Referral withdrawn"))
    _dossier_begeleider(aanmelding.dossier, None, user)
    _gebeurtenis(
        aanmelding.dossier,
        user,
        tijdlijn.INGETROKKEN,
        organisatie=aanmelding.organisatie.naam,
        reden=aanmelding.ingetrokken_reden,
    )
    _herberekenen(aanmelding.dossier, user)
    return aanmelding


@transaction.atomic
def einddatum_wijzigen(
    *, user: User | None, aanmelding: Aanmelding, einddatum: date | None, reden: str
) -> Aanmelding:
    """The werkcoach extends or shortens the begeleiding (policy months are a guideline)."""
    aanmelding = _vergrendel(aanmelding)
    vereis(user, "begeleiding.beheren", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.AANGEMELD, AanmeldingStatus.LOOPT)
    fouten: dict[str, Any] = {}
    if einddatum is None:
        fouten["einddatum"] = _("Give the new end date.")
    elif einddatum < timezone.localdate():
        fouten["einddatum"] = _(
            "The end date cannot be in the past: close the begeleiding instead."
        )
    elif aanmelding.startdatum and einddatum <= aanmelding.startdatum:
        fouten["einddatum"] = _("The end date must be after the start (%(datum)s).") % {
            "datum": weergave.datum(aanmelding.startdatum)
        }
    if not (reden or "").strip():
        fouten["reden"] = _("Give the reason for the new end date.")
    _raise(fouten)
    assert einddatum is not None
    aanmelding.einddatum = einddatum
    _save(aanmelding, user=user, reden=reden.strip())
    _gebeurtenis(
        aanmelding.dossier,
        user,
        tijdlijn.EINDDATUM,
        datum=einddatum.isoformat(),
        reden=reden.strip(),
    )
    _herberekenen(aanmelding.dossier, user)
    return aanmelding


@transaction.atomic
def evaluatie_vastleggen(
    *, user: User | None, aanmelding: Aanmelding, datum: date | None, verslag: str
) -> Aanmelding:
    """The review three months before the end (werkcoach or begeleider)."""
    aanmelding = _vergrendel(aanmelding)
    if not mag(user, "begeleiding.beheren", aanmelding):
        vereis(user, "begeleiding.afsluiten", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.LOOPT)
    fouten: dict[str, Any] = {}
    if datum is None:
        fouten["evaluatie_op"] = _("Give the date of the review.")
    else:
        fout = feitdatum_fout(
            datum,
            niet_voor=aanmelding.startdatum,
            niet_voor_label=_("the start of the begeleiding"),
        )
        if fout:
            fouten["evaluatie_op"] = fout
    if not (verslag or "").strip():
        fouten["evaluatie_verslag"] = _("Write down what the review concluded.")
    _raise(fouten)
    assert datum is not None
    aanmelding.evaluatie_op = datum
    aanmelding.evaluatie_verslag = verslag.strip()
    _save(aanmelding, user=user, reden=_("Begeleiding reviewed"))
    _gebeurtenis(aanmelding.dossier, user, tijdlijn.EVALUATIE, datum=datum.isoformat())
    _herberekenen(aanmelding.dossier, user)
    return aanmelding


@transaction.atomic
def afsluiten(
    *, user: User | None, aanmelding: Aanmelding, verslag: str, open_punten: str = ""
) -> Aanmelding:
    """The begeleider's closing report (afsluitend verslag) and the warm handover: the werkcoach
    gets a signal to pick up the open points; the partner's access ends."""
    aanmelding = _vergrendel(aanmelding)
    vereis(user, "begeleiding.afsluiten", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.LOOPT)
    if not (verslag or "").strip():
        _raise({"afsluitend_verslag": _("Write the closing report: what was reached, what not.")})
    vandaag = timezone.localdate()
    aanmelding.status = AanmeldingStatus.AFGESLOTEN
    aanmelding.afsluitend_verslag = verslag.strip()
    aanmelding.open_punten = (open_punten or "").strip()
    aanmelding.afgesloten_op = vandaag
    aanmelding.afgesloten_door = user
    _save(aanmelding, user=user, reden=_("Closing report (warm handover)"))
    _dossier_begeleider(aanmelding.dossier, None, user)
    _gebeurtenis(aanmelding.dossier, user, tijdlijn.AFGESLOTEN, datum=vandaag.isoformat())
    _herberekenen(aanmelding.dossier, user)
    return aanmelding


# --- contacts ----------------------------------------------------------------------------------


def _contact_fouten(aanmelding: Aanmelding, velden: Mapping[str, Any]) -> dict[str, Any]:
    fouten: dict[str, Any] = {}
    tijdstip = velden.get("tijdstip")
    if not isinstance(tijdstip, datetime):
        fouten["tijdstip"] = _("Give the date and time of the contact.")
    else:
        if timezone.is_naive(tijdstip):
            tijdstip = timezone.make_aware(tijdstip)
        dag = timezone.localtime(tijdstip).date()
        if tijdstip > timezone.now() + timedelta(minutes=5):
            fouten["tijdstip"] = _("A contact is recorded after it took place, not before.")
        elif aanmelding.startdatum and dag < aanmelding.startdatum:
            fouten["tijdstip"] = _(
                "The begeleiding started on %(datum)s: this contact is before it."
            ) % {"datum": weergave.datum(aanmelding.startdatum)}
        elif dag > aanmelding.einddatum:
            fouten["tijdstip"] = _("The begeleiding ended on %(datum)s.") % {
                "datum": weergave.datum(aanmelding.einddatum)
            }
    if velden.get("soort") not in ContactSoort.values:
        fouten["soort"] = _("Choose the kind of contact.")
    duur = velden.get("duur_minuten")
    if not isinstance(duur, int) or not 1 <= duur <= 600:
        fouten["duur_minuten"] = _("Give the duration in minutes (1 to 600).")
    onbekend = [w for w in velden.get("aanwezig") or [] if w not in Aanwezige.values]
    if onbekend:
        fouten["aanwezig"] = _("Unknown choice: %(waarden)s.") % {"waarden": ", ".join(onbekend)}
    onbekend = [w for w in velden.get("onderwerpen") or [] if w not in Onderwerp.values]
    if onbekend:
        fouten["onderwerpen"] = _("Unknown topic: %(waarden)s.") % {"waarden": ", ".join(onbekend)}
    if not (velden.get("verslag") or "").strip():
        fouten["verslag"] = _("Write a short report of the contact.")
    if velden.get("signaal_werkcoach") and not (velden.get("signaal_toelichting") or "").strip():
        fouten["signaal_toelichting"] = _("Say what the werkcoach should know or do.")
    return fouten


def _actie_fouten(acties: Sequence[NieuweActie], dag: date | None) -> dict[str, Any]:
    fouten: list[str] = []
    for i, actie in enumerate(acties, start=1):
        if not actie.omschrijving.strip():
            fouten.append(_("Action %(n)d: describe it.") % {"n": i})
        if actie.eigenaar not in ActieEigenaar.values:
            fouten.append(_("Action %(n)d: choose who does it.") % {"n": i})
        if actie.deadline is None:
            fouten.append(_("Action %(n)d: give the date it is due.") % {"n": i})
        elif dag and actie.deadline < dag:
            fouten.append(_("Action %(n)d: the due date is before the contact.") % {"n": i})
    return {"vervolgacties": fouten} if fouten else {}


def _normaal(velden: Mapping[str, Any]) -> dict[str, Any]:
    uit = {k: velden.get(k) for k in CONTACT_VELDEN}
    tijdstip = uit["tijdstip"]
    if isinstance(tijdstip, datetime) and timezone.is_naive(tijdstip):
        uit["tijdstip"] = timezone.make_aware(tijdstip)
    uit["aanwezig"] = sorted(set(uit["aanwezig"] or []))
    uit["onderwerpen"] = sorted(set(uit["onderwerpen"] or []))
    uit["verslag"] = (uit["verslag"] or "").strip()
    uit["signaal_werkcoach"] = bool(uit["signaal_werkcoach"])
    uit["signaal_toelichting"] = (uit["signaal_toelichting"] or "").strip()
    return uit


def _zelfde(contact: Contactmoment, velden: Mapping[str, Any]) -> bool:
    return all(
        (sorted(getattr(contact, k)) if k in ("aanwezig", "onderwerpen") else getattr(contact, k))
        == v
        for k, v in velden.items()
    )


def _acties_aanmaken(
    contact: Contactmoment, acties: Sequence[NieuweActie], user: User | None
) -> None:
    for actie in acties:
        if actie.uuid and Vervolgactie.objects.filter(uuid=actie.uuid).exists():
            continue  # a replay of an action already made
        assert actie.deadline is not None  # checked by _actie_fouten
        _save(
            Vervolgactie(
                uuid=actie.uuid or uuidlib.uuid4(),
                contactmoment=contact,
                dossier_id=contact.dossier_id,
                omschrijving=actie.omschrijving.strip(),
                eigenaar=actie.eigenaar,
                deadline=actie.deadline,
            ),
            user=user,
            reden=_("Follow-up action agreed"),
        )


def _signaal_geven(contact: Contactmoment, user: User | None) -> None:
    """Number the signal, start its clock and put it in the werkcoach's inbox now (the sweep
    would only reach it tonight)."""
    dossier = contact.dossier
    laatste = Contactmoment.objects.filter(dossier=dossier).aggregate(n=Max("signaalnummer"))["n"]
    contact.signaalnummer = (laatste or 0) + 1
    contact.save(update_fields=["signaalnummer"])
    _gebeurtenis(dossier, user, tijdlijn.SIGNAAL, toelichting=contact.signaal_toelichting)
    klokken = termijnen.herberekenen(dossier, user=user, reden=_("Signal from the begeleider"))
    termijn = next(
        (t for t in klokken if t.code == SIGNAAL and t.volgnummer == contact.signaalnummer), None
    )
    if termijn is None or dossier.werkcoach_id is None:
        return  # without a werkcoach the sweep signals the teamleiders tonight
    Signaal.objects.get_or_create(
        termijn=termijn,
        ontvanger_id=dossier.werkcoach_id,
        soort=SignaalSoort.WAARSCHUWING,
        dagen_voor=SIGNAAL_OPVOLGEN_DAGEN,
        uiterste_datum=termijn.uiterste_datum,
        defaults={"dossier": dossier},
    )


@transaction.atomic
def contact_vastleggen(
    *,
    user: User | None,
    aanmelding: Aanmelding,
    uuid: uuidlib.UUID | None = None,
    vervolgacties: Sequence[NieuweActie] = (),
    **velden: Any,
) -> tuple[Contactmoment, bool]:
    """Record a contact once: a replay of the same ``uuid`` with the same content returns the
    existing one (``False``); with other content it is a ``VersieConflict``."""
    aanmelding = _vergrendel(aanmelding)  # replays of one begeleiding queue here
    vereis(user, "begeleiding.contact_vastleggen", aanmelding)
    _status_fout(aanmelding, AanmeldingStatus.LOOPT)
    inhoud = _normaal(velden)
    if uuid is not None:
        bestaand = Contactmoment.objects.filter(uuid=uuid).first()
        if bestaand is not None:
            if bestaand.aanmelding_id != aanmelding.pk or not _zelfde(bestaand, inhoud):
                raise VersieConflict(
                    bestaand,
                    _("A contact with this identifier already exists with other content."),
                )
            # a replay: only actions with an identifier of their own can be told apart
            _acties_aanmaken(bestaand, [a for a in vervolgacties if a.uuid], user)
            return bestaand, False
    fouten = _contact_fouten(aanmelding, inhoud)
    dag = timezone.localtime(inhoud["tijdstip"]).date() if "tijdstip" not in fouten else None
    fouten.update(_actie_fouten(vervolgacties, dag))
    _raise(fouten)
    contact = Contactmoment(
        uuid=uuid or uuidlib.uuid4(),
        aanmelding=aanmelding,
        dossier_id=aanmelding.dossier_id,
        auteur=user,
        **inhoud,
    )
    try:
        with transaction.atomic():
            _save(contact, user=user, reden=_("Contact recorded"))
    except (IntegrityError, ValidationError) as exc:
        if isinstance(exc, ValidationError) and "uuid" not in getattr(exc, "error_dict", {}):
            raise
        _raise({"uuid": _("This identifier is already in use.")})
    _acties_aanmaken(contact, vervolgacties, user)
    assert dag is not None
    _gebeurtenis(
        aanmelding.dossier,
        user,
        tijdlijn.CONTACT,
        soort=contact.soort,
        datum=dag.isoformat(),
        minuten=contact.duur_minuten,
    )
    if contact.signaal_werkcoach:
        _signaal_geven(contact, user)
    else:
        _herberekenen(aanmelding.dossier, user)
    return contact, True


@transaction.atomic
def contact_corrigeren(
    *,
    user: User | None,
    contact: Contactmoment,
    versie: int | None,
    vervolgacties: Sequence[NieuweActie] = (),
    **velden: Any,
) -> Contactmoment:
    """A correction is a new version: it names the version it corrects; if the server has a
    newer one, it is refused with that version (``VersieConflict``). Every version stays in the
    history with its actor."""
    contact = (
        Contactmoment.objects.select_for_update(of=("self",))
        .select_related("aanmelding", "dossier")
        .get(pk=contact.pk)
    )
    vereis(user, "begeleiding.contact_corrigeren", contact.aanmelding)
    _status_fout(contact.aanmelding, AanmeldingStatus.LOOPT)
    if versie is None:
        _raise({"versie": _("Give the version you corrected.")})
    if versie != contact.versie:
        raise VersieConflict(
            contact,
            _(
                "This contact was changed meanwhile (now version %(nu)d, you corrected version "
                "%(jij)d): compare and correct again."
            )
            % {"nu": contact.versie, "jij": versie},
        )
    inhoud = _normaal({**{k: getattr(contact, k) for k in CONTACT_VELDEN}, **velden})
    fouten = _contact_fouten(contact.aanmelding, inhoud)
    if contact.signaal_werkcoach and not inhoud["signaal_werkcoach"]:
        fouten["signaal_werkcoach"] = _(
            "A signal sent to the werkcoach cannot be taken back; explain in the report instead."
        )
    dag = timezone.localtime(inhoud["tijdstip"]).date() if "tijdstip" not in fouten else None
    fouten.update(_actie_fouten(vervolgacties, dag))
    _raise(fouten)
    nieuw_signaal = inhoud["signaal_werkcoach"] and not contact.signaal_werkcoach
    for k, v in inhoud.items():
        setattr(contact, k, v)
    contact.versie += 1
    contact.gewijzigd_op = timezone.now()
    _save(contact, user=user, reden=_("Contact corrected"))
    _acties_aanmaken(contact, vervolgacties, user)
    assert dag is not None
    _gebeurtenis(
        contact.dossier, user, tijdlijn.GECORRIGEERD, datum=dag.isoformat(), versie=contact.versie
    )
    if nieuw_signaal:
        _signaal_geven(contact, user)
    else:
        _herberekenen(contact.dossier, user)
    return contact


@transaction.atomic
def signaal_opvolgen(*, user: User | None, contact: Contactmoment) -> Contactmoment:
    """The werkcoach followed the begeleider's signal up: its clock is met."""
    vereis(user, "begeleiding.beheren", contact.dossier)
    contact = Contactmoment.objects.select_for_update().get(pk=contact.pk)
    if not contact.signaal_werkcoach:
        _raise({"signaal_werkcoach": _("This contact carries no signal for the werkcoach.")})
    if contact.signaal_opgevolgd_op:
        return contact
    contact.signaal_opgevolgd_op = timezone.localdate()
    _save(contact, user=user, reden=_("Signal followed up"))
    _gebeurtenis(
        contact.dossier,
        user,
        tijdlijn.SIGNAAL_OPGEVOLGD,
        datum=timezone.localtime(contact.tijdstip).date().isoformat(),
    )
    _herberekenen(contact.dossier, user)
    return contact


@transaction.atomic
def vervolgactie_afronden(
    *, user: User | None, actie: Vervolgactie, datum: date | None = None
) -> Vervolgactie:
    vereis(user, "begeleiding.vervolgactie_afronden", actie)
    actie = Vervolgactie.objects.select_for_update().get(pk=actie.pk)
    if actie.afgerond_op:
        return actie
    datum = datum or timezone.localdate()
    fout = feitdatum_fout(datum)
    if fout:
        _raise({"afgerond_op": fout})
    actie.afgerond_op = datum
    actie.afgerond_door = user
    _save(actie, user=user, reden=_("Follow-up action done"))
    return actie
