"""Writes of retention and destruction: legal holds, proposing, approving, rejecting and
carrying out a destruction run. Keyword-only, atomic, the acting user passed in; every refusal
names the rule it is based on."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.constants import GESLOTEN_FASEN
from cases.models import Dossier
from inburgering.accounts.models import Gemeente, User
from inburgering.core.access import vereis

from . import rules, vernietiging
from .constants import SOORT_APPS, RecordSoort, RegelStatus, RondeStatus
from .models import (
    Bewaartermijn,
    JuridischeBlokkade,
    VerklaringVanVernietiging,
    Vernietigingsregel,
    Vernietigingsronde,
)

logger = logging.getLogger(__name__)


def standaard_jaren() -> int:
    return int(getattr(settings, "BEWARING_STANDAARD_JAREN", 5))


# --- reading the rules ----------------------------------------------------------------------


def termijnen_voor(gemeente_id: int) -> dict[str, rules.Termijn]:
    """The period of every kind of record in this gemeente (its own, else the default)."""
    eigen = {
        t.soort: rules.Termijn(t.soort, t.jaren, t.grondslag)
        for t in Bewaartermijn._base_manager.filter(gemeente_id=gemeente_id)
    }
    return {
        s: eigen.get(s, rules.Termijn(s, standaard_jaren(), "BEWARING_STANDAARD_JAREN"))
        for s in RecordSoort.values
    }


def _dossier_modellen(app_label: str) -> list[tuple[type[models.Model], str]]:
    """The models of an app with a direct key to the dossier: (model, field name)."""
    gevonden = []
    for model in apps.get_app_config(app_label).get_models():
        if vernietiging.is_historisch(model):
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Dossier:
                gevonden.append((model, f.name))
    return gevonden


def met_soorten(qs: models.QuerySet[Dossier]) -> models.QuerySet[Dossier]:
    """Annotate ``heeft_<soort>`` for each kind of record an app keeps on a dossier (one query
    for the whole list)."""
    for soort, app_label in SOORT_APPS.items():
        if not apps.is_installed(app_label):
            continue
        bestaat: Any = None
        for model, veld in _dossier_modellen(app_label):
            e = Exists(model._base_manager.filter(**{veld: OuterRef("pk")}))
            bestaat = e if bestaat is None else bestaat | e
        if bestaat is not None:
            qs = qs.annotate(**{f"heeft_{soort}": bestaat})
    return qs


def soorten_van(dossier: Dossier) -> list[str]:
    return [RecordSoort.DOSSIER] + [s for s in SOORT_APPS if getattr(dossier, f"heeft_{s}", False)]


def sluitdatum(dossier: Dossier) -> date | None:
    """The day the dossier was closed: ``datum_afgesloten``; for a dossier closed before that
    date was kept, the first history record of its last closed stretch; else its last change.
    ``None`` for an open dossier."""
    if dossier.fase not in GESLOTEN_FASEN:
        return None
    if dossier.datum_afgesloten:
        return dossier.datum_afgesloten
    records = list(
        Dossier.history.model._base_manager.filter(id=dossier.pk)  # type: ignore[attr-defined]
        .order_by("history_date", "history_id")
        .values_list("fase", "history_date")
    )
    dag = None
    for fase, moment in records:  # the first record of the last closed stretch
        dag = (dag or timezone.localdate(moment)) if fase in GESLOTEN_FASEN else None
    return dag or timezone.localdate(dossier.gewijzigd_op)


@dataclass(frozen=True)
class Beoordeling:
    """Whether a dossier may be destroyed on ``peildatum``, and why (not)."""

    dossier: Dossier
    soorten: list[str]
    termijn: rules.Termijn
    sluitdatum: date | None
    bewaren_tot: date | None
    blokkade: JuridischeBlokkade | None
    opvolger: bool  # a relocation's next dossier that is still kept
    peildatum_voorbij: bool = False  # the reference date is after ``bewaren_tot``

    @property
    def verstreken(self) -> bool:
        return self.bewaren_tot is not None and self.peildatum_voorbij

    def weigeringen(self) -> list[str]:
        """Every rule that keeps the dossier (empty: it may be destroyed)."""
        uit: list[str] = []
        if self.sluitdatum is None:
            uit.append(_("Archiefwet: the dossier is still open; retention starts at its close."))
        elif not self.verstreken:
            uit.append(
                _("Archiefwet: retention period not yet elapsed (kept until %(datum)s).")
                % {"datum": self.bewaren_tot.strftime("%d-%m-%Y") if self.bewaren_tot else ""}
            )
        if self.blokkade is not None:
            uit.append(_("Legal hold: %(reden)s.") % {"reden": self.blokkade.get_reden_display()})
        if self.opvolger:
            uit.append(
                _(
                    "Relocation: the next dossier of this person is still kept; this one is "
                    "destroyed after it."
                )
            )
        return uit


def beoordelen(
    dossiers: list[Dossier], peildatum: date, termijnen: dict[str, rules.Termijn] | None = None
) -> list[Beoordeling]:
    """Judge each dossier (annotated by ``met_soorten``): two queries for the whole list (the
    active holds and the next dossiers), plus one per dossier closed without a date."""
    ids = [d.pk for d in dossiers]
    blokkades: dict[int, JuridischeBlokkade] = {}
    for b in JuridischeBlokkade._base_manager.filter(
        dossier_id__in=ids, opgeheven_op__isnull=True
    ).order_by("ingesteld_op", "id"):
        blokkades.setdefault(b.dossier_id, b)
    opvolgers = set(
        Dossier._base_manager.filter(vorig_dossier_id__in=ids).values_list(
            "vorig_dossier_id", flat=True
        )
    )
    per_gemeente: dict[int, dict[str, rules.Termijn]] = {}
    uit = []
    for d in dossiers:
        if termijnen is not None:
            t = termijnen
        else:
            t = per_gemeente.setdefault(d.gemeente_id, termijnen_voor(d.gemeente_id))
        soorten = soorten_van(d)
        termijn = rules.bepalende_termijn(soorten, t)
        sluit = sluitdatum(d)
        tot = rules.bewaren_tot(sluit, termijn.jaren) if sluit else None
        uit.append(
            Beoordeling(
                dossier=d,
                soorten=soorten,
                termijn=termijn,
                sluitdatum=sluit,
                bewaren_tot=tot,
                blokkade=blokkades.get(d.pk),
                opvolger=d.pk in opvolgers,
                peildatum_voorbij=tot is not None and peildatum > tot,
            )
        )
    return uit


def dossier_beoordelen(dossier: Dossier, peildatum: date | None = None) -> Beoordeling:
    d = met_soorten(Dossier._base_manager.filter(pk=dossier.pk)).get()
    return beoordelen([d], peildatum or timezone.localdate())[0]


# --- legal holds ------------------------------------------------------------------------------


@transaction.atomic
def blokkade_instellen(
    *,
    user: User,
    dossier: Dossier,
    reden: str,
    toelichting: str,
    sinds: date | None = None,
) -> JuridischeBlokkade:
    """Place a legal hold: the dossier is not destroyed while it is not lifted (also when a
    run with it was approved before: the task checks again)."""
    vereis(user, "bewaring.blokkeren", dossier)
    # the destruction task locks the dossier too: a hold and a destruction never cross
    Dossier._base_manager.select_for_update().filter(pk=dossier.pk).first()
    blokkade = JuridischeBlokkade(
        dossier=dossier,
        reden=reden,
        toelichting=toelichting.strip(),
        sinds=sinds or timezone.localdate(),
        ingesteld_door=user,
    )
    blokkade.full_clean()
    blokkade._change_reason = blokkade.get_reden_display()  # type: ignore[attr-defined]
    blokkade.save()
    return blokkade


@transaction.atomic
def blokkade_opheffen(
    *, user: User, blokkade: JuridischeBlokkade, toelichting: str
) -> JuridischeBlokkade:
    vereis(user, "bewaring.blokkade_opheffen", blokkade.dossier)
    blokkade = JuridischeBlokkade._base_manager.select_for_update().get(pk=blokkade.pk)
    if blokkade.opgeheven_op is not None:
        raise ValidationError(_("This legal hold was already lifted."))
    if not toelichting.strip():
        raise ValidationError({"opheffing_toelichting": [_("Say why the legal hold is lifted.")]})
    blokkade.opgeheven_op = timezone.now()
    blokkade.opgeheven_door = user
    blokkade.opheffing_toelichting = toelichting.strip()
    blokkade.full_clean()
    blokkade.save()
    return blokkade


# --- proposing, approving, rejecting --------------------------------------------------------


def _in_open_ronde() -> Exists:
    return Exists(
        Vernietigingsregel._base_manager.filter(
            dossier_id=OuterRef("pk"),
            status=RegelStatus.VOORGESTELD,
            ronde__status__in=[RondeStatus.VOORGESTELD, RondeStatus.GOEDGEKEURD],
        )
    )


@transaction.atomic
def ronde_voorstellen(
    *, user: User, gemeente: Gemeente, peildatum: date | None = None
) -> Vernietigingsronde:
    """Propose destroying every closed dossier of ``gemeente`` whose retention period has
    elapsed on ``peildatum`` (default today) and that is in no open run. A dossier under a
    legal hold is listed as excluded, with the hold's reason."""
    vereis(user, "bewaring.voorstellen", gemeente)
    peildatum = peildatum or timezone.localdate()
    if peildatum > timezone.localdate():
        raise ValidationError({"peildatum": [_("The reference date cannot be in the future.")]})
    Gemeente.objects.select_for_update().filter(pk=gemeente.pk).first()  # the number below
    kandidaten = list(
        met_soorten(
            Dossier._base_manager.filter(gemeente=gemeente, fase__in=GESLOTEN_FASEN)
            .exclude(_in_open_ronde())
            .order_by("datum_afgesloten", "pk")
        )
    )
    termijnen = termijnen_voor(gemeente.pk)
    beoordeeld = [
        b for b in beoordelen(kandidaten, peildatum, termijnen) if b.verstreken and not b.opvolger
    ]
    if not beoordeeld:
        raise ValidationError(
            _(
                "Archiefwet: no closed dossier of %(gemeente)s has passed its retention period "
                "on %(datum)s; there is nothing to destroy."
            )
            % {"gemeente": gemeente.naam, "datum": peildatum.strftime("%d-%m-%Y")}
        )
    vernietigbaar = {b.dossier.pk for b in beoordeeld if b.blokkade is None}
    personen_met_ander_dossier = set(
        Dossier._base_manager.filter(
            inburgeraar_id__in=[b.dossier.inburgeraar_id for b in beoordeeld]
        )
        .exclude(pk__in=vernietigbaar)
        .values_list("inburgeraar_id", flat=True)
    )
    nummer = (
        Vernietigingsronde._base_manager.filter(gemeente=gemeente).aggregate(n=Max("nummer"))["n"]
        or 0
    ) + 1
    ronde = Vernietigingsronde(
        gemeente=gemeente, nummer=nummer, peildatum=peildatum, voorgesteld_door=user
    )
    ronde.full_clean()
    ronde.save()
    regels = []
    for b in beoordeeld:
        assert b.sluitdatum is not None and b.bewaren_tot is not None
        regels.append(
            Vernietigingsregel(
                ronde=ronde,
                dossier=b.dossier,
                status=RegelStatus.VOORGESTELD if b.blokkade is None else RegelStatus.UITGESLOTEN,
                soorten=b.soorten,
                bepalende_soort=b.termijn.soort,
                jaren=b.termijn.jaren,
                grondslag=b.termijn.grondslag,
                sluitdatum=b.sluitdatum,
                bewaren_tot=b.bewaren_tot,
                persoon_blijft=b.dossier.inburgeraar_id in personen_met_ander_dossier,
                reden="; ".join(b.weigeringen()),
            )
        )
    Vernietigingsregel.objects.bulk_create(regels)
    return ronde


def _ronde_vergrendeld(ronde: Vernietigingsronde) -> Vernietigingsronde:
    return Vernietigingsronde._base_manager.select_for_update().get(pk=ronde.pk)


@transaction.atomic
def ronde_goedkeuren(*, user: User, ronde: Vernietigingsronde) -> Vernietigingsronde:
    """A teamleider other than the proposer approves; the destruction is queued when this
    commits (``bewaring.tasks.ronde_uitvoeren``)."""
    vereis(user, "bewaring.beoordelen", ronde)
    ronde = _ronde_vergrendeld(ronde)
    if ronde.status != RondeStatus.VOORGESTELD:
        raise ValidationError(
            _("Only a proposed run can be approved; this one is “%(status)s”.")
            % {"status": ronde.get_status_display()}
        )
    if not ronde.regels.filter(status=RegelStatus.VOORGESTELD).exists():
        raise ValidationError(_("Every dossier of this run is excluded; reject it instead."))
    ronde.status = RondeStatus.GOEDGEKEURD
    ronde.beoordeeld_door = user
    ronde.beoordeeld_op = timezone.now()
    ronde.full_clean()
    ronde.save()
    from . import tasks

    ronde_id = ronde.pk
    transaction.on_commit(lambda: tasks.ronde_uitvoeren.delay(ronde_id))
    return ronde


@transaction.atomic
def ronde_afwijzen(*, user: User, ronde: Vernietigingsronde, reden: str) -> Vernietigingsronde:
    vereis(user, "bewaring.beoordelen", ronde)
    ronde = _ronde_vergrendeld(ronde)
    if ronde.status != RondeStatus.VOORGESTELD:
        raise ValidationError(
            _("Only a proposed run can be rejected; this one is “%(status)s”.")
            % {"status": ronde.get_status_display()}
        )
    if not reden.strip():
        raise ValidationError({"afwijzing_reden": [_("Say why the run is rejected.")]})
    ronde.status = RondeStatus.AFGEWEZEN
    ronde.beoordeeld_door = user
    ronde.beoordeeld_op = timezone.now()
    ronde.afwijzing_reden = reden.strip()
    ronde.full_clean()
    ronde.save()
    return ronde


# --- carrying out ---------------------------------------------------------------------------


@dataclass
class Uitvoering:
    verklaring: VerklaringVanVernietiging
    bestanden: list[str]
    bsns: list[str]


def ronde_uitvoeren(*, ronde_id: int) -> VerklaringVanVernietiging | None:
    """Destroy the run's dossiers (called by the task, as the approver). Exactly once: the
    run's row is locked and must be approved. Inside the lock, every dossier is judged again
    — a legal hold placed after approval, or a longer period set since, skips it. Files are
    deleted once the database work committed. ``None`` when the run is not (any more) approved."""
    with transaction.atomic():
        uitvoering = _uitvoeren(ronde_id)
    if uitvoering is None:
        return None
    from inburgering.audit import logboek

    logboek.betrokkenen(uitvoering.bsns, handeling="vernietigen")
    weg = vernietiging.bestanden_verwijderen(uitvoering.bestanden)
    if weg != uitvoering.verklaring.aantal_bestanden:
        VerklaringVanVernietiging._base_manager.filter(pk=uitvoering.verklaring.pk).update(
            aantal_bestanden=weg
        )
        uitvoering.verklaring.aantal_bestanden = weg
    return uitvoering.verklaring


def _uitvoeren(ronde_id: int) -> Uitvoering | None:
    ronde = (
        Vernietigingsronde._base_manager.select_for_update(of=("self",))
        .select_related("gemeente", "beoordeeld_door")
        .filter(pk=ronde_id)
        .first()
    )
    if ronde is None or ronde.status != RondeStatus.GOEDGEKEURD:
        return None
    regels = list(
        Vernietigingsregel._base_manager.filter(ronde=ronde, status=RegelStatus.VOORGESTELD)
    )
    dossier_ids = [r.dossier_id for r in regels]
    # lock the dossiers: a hold placed now waits for this transaction (and then finds no dossier)
    list(Dossier._base_manager.select_for_update().filter(pk__in=dossier_ids).values_list("pk"))
    vandaag = timezone.localdate()
    dossiers = list(met_soorten(Dossier._base_manager.filter(pk__in=dossier_ids)))
    oordeel = {b.dossier.pk: b for b in beoordelen(dossiers, vandaag)}
    overgeslagen: Counter[str] = Counter()
    te_vernietigen: list[Dossier] = []
    toegepast: Counter[tuple[str, int, str]] = Counter()
    for regel in regels:
        b = oordeel.get(regel.dossier_id)
        weigeringen = b.weigeringen() if b is not None else [_("The dossier no longer exists.")]
        if weigeringen:
            regel.status = RegelStatus.OVERGESLAGEN
            regel.reden = "; ".join(weigeringen)[:300]
            regel.save(update_fields=["status", "reden"])
            for w in weigeringen:
                overgeslagen[w] += 1
            continue
        assert b is not None
        te_vernietigen.append(b.dossier)
        toegepast[(b.termijn.soort, b.termijn.jaren, b.termijn.grondslag)] += 1
    ids = {d.pk for d in te_vernietigen}
    persoon_ids = {d.inburgeraar_id for d in te_vernietigen}
    bewaard = set(
        Dossier._base_manager.filter(inburgeraar_id__in=persoon_ids)
        .exclude(pk__in=ids)
        .values_list("inburgeraar_id", flat=True)
    )
    weg_personen = persoon_ids - bewaard
    from cases.models import Inburgeraar

    bsns = list(Inburgeraar._base_manager.filter(pk__in=persoon_ids).values_list("bsn", flat=True))
    verzameling = vernietiging.verzamelen(ids, weg_personen)
    resultaat = vernietiging.verwijderen(verzameling)
    nu = timezone.now()
    assert ronde.beoordeeld_door is not None and ronde.beoordeeld_op is not None
    verklaring = VerklaringVanVernietiging(
        ronde=ronde,
        gemeente=ronde.gemeente,
        kenmerk=ronde.kenmerk,
        peildatum=vandaag,
        voorgesteld_door_id=ronde.voorgesteld_door_id,
        goedgekeurd_door=ronde.beoordeeld_door,
        goedgekeurd_op=ronde.beoordeeld_op,
        uitgevoerd_op=nu,
        aantal_dossiers=resultaat.aantallen.get(Dossier._meta.label, 0),
        aantal_personen=resultaat.aantallen.get(Inburgeraar._meta.label, 0),
        aantal_personen_bewaard=len(persoon_ids & bewaard),
        aantal_overgeslagen=sum(1 for r in regels if r.status == RegelStatus.OVERGESLAGEN),
        aantal_historie=resultaat.historie,
        aantal_bestanden=len(resultaat.bestanden),
        aantallen=dict(sorted(resultaat.aantallen.items())),
        regels=[
            {"soort": soort, "jaren": jaren, "grondslag": grondslag, "aantal": n}
            for (soort, jaren, grondslag), n in sorted(toegepast.items())
        ],
        overgeslagen=dict(overgeslagen),
    )
    verklaring.full_clean()
    verklaring.save()
    ronde.status = RondeStatus.UITGEVOERD
    ronde.uitgevoerd_op = nu
    ronde.fout = ""
    ronde.save()
    logger.info(
        "destruction run %s carried out: %s dossiers, %s persons",
        ronde.kenmerk,
        verklaring.aantal_dossiers,
        verklaring.aantal_personen,
    )
    return Uitvoering(verklaring=verklaring, bestanden=resultaat.bestanden, bsns=bsns)


def ronde_mislukt(*, ronde_id: int, fout: str) -> None:
    """Record why carrying out failed (nothing was destroyed: the transaction rolled back);
    the run stays approved and the task may be run again."""
    from inburgering.core.logging import redact_bsn

    Vernietigingsronde._base_manager.filter(pk=ronde_id, status=RondeStatus.GOEDGEKEURD).update(
        fout=redact_bsn(fout)[:2000]
    )
