"""The person, the dossier and its timeline."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, cast

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope
from django_scopes.manager import DisabledQuerySet
from simple_history.signals import pre_create_historical_record

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, Organisatie, User
from inburgering.audit import logboek
from inburgering.core.historie import gescoopte_historie

from .. import rules
from ..constants import (
    ADRES_DELEN,
    ADRES_SOORTEN,
    ADRES_VERPLICHTE_DELEN,
    GESLOTEN_FASEN,
    ContactKanaal,
    Doelgroep,
    Fase,
    Regime,
)
from ..feitdatums import feitdatums_controleren
from .tellersql import TELLER_DOSSIER_SQL


def validate_bsn(value: str) -> None:
    if not rules.is_valid_bsn(value):
        raise ValidationError(
            _("This is not a valid BSN: it must be nine digits that pass the elfproef."),
            code="invalid_bsn",
        )


def validate_postcode(value: str) -> None:
    if not rules.is_valid_postcode(rules.normalise_postcode(value)):
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, e.g. 1234 AB."),
            code="invalid_postcode",
        )


validate_huisletter = RegexValidator(
    r"^[A-Za-z]$", _("A house letter is one letter."), code="invalid_huisletter"
)
validate_huisnummertoevoeging = RegexValidator(
    r"^[A-Za-z0-9]{1,4}$",
    _("An addition is at most four letters or digits."),
    code="invalid_toevoeging",
)


class InburgeraarManager(models.Manager["Inburgeraar"]):
    """Scoped like ``Dossier``: a person is visible in a gemeente where they have a dossier.

    Uses django-scopes' state, so a query outside any scope raises ``ScopeError``.
    """

    def get_queryset(self) -> models.QuerySet[Inburgeraar]:
        current = get_scope()
        qs = super().get_queryset()
        if not current.get("_enabled", True):
            return qs
        if "gemeente" not in current:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes={"gemeente"})
        return qs.filter(
            Exists(
                Dossier._base_manager.filter(
                    inburgeraar=OuterRef("pk"), gemeente__in=list(current["gemeente"])
                )
            )
        )


def historie_gemeente_veld() -> models.ForeignKey:
    """The gemeente a change to a person was made for, on each historical record: a person can
    have dossiers in two gemeenten (relocation), and each sees only its own edits."""
    return models.ForeignKey(
        Gemeente,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed for gemeente"),
    )


def persoonshistorie_in(qs: models.QuerySet, gemeenten: list[int]) -> models.QuerySet:
    """The scope rule of ``Inburgeraar.history``: the changes made for one of ``gemeenten``; a
    record without a gemeente (none could be told) where the person has a dossier there."""
    return qs.filter(
        Q(historie_gemeente__in=gemeenten)
        | Q(
            Exists(
                Dossier._base_manager.filter(inburgeraar=OuterRef("id"), gemeente__in=gemeenten)
            ),
            historie_gemeente__isnull=True,
        )
    )


def historie_gemeente_voor(inburgeraar: Inburgeraar) -> int | None:
    """The gemeente a change to ``inburgeraar`` is made for: what the service said
    (``_historie_gemeente_id``, e.g. on registration, before the dossier exists), else the
    person's open dossier (at most one anywhere), else their latest dossier — within the
    active scope when there is one."""
    gezet = getattr(inburgeraar, "_historie_gemeente_id", None)
    if gezet is not None:
        return cast(int, gezet)
    if inburgeraar.pk is None:
        return None
    dossiers = Dossier._base_manager.filter(inburgeraar_id=inburgeraar.pk)
    scope = get_scope()
    if scope.get("_enabled", True) and scope.get("gemeente") is not None:
        dossiers = dossiers.filter(gemeente__in=list(scope["gemeente"]))
    dossier = dossiers.order_by(
        models.Case(models.When(fase__in=GESLOTEN_FASEN, then=1), default=0),
        "-aangemaakt_op",
        "-pk",
    ).first()
    return dossier.gemeente_id if dossier is not None else None


class Inburgeraar(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        validators=[validate_bsn],
        help_text=_("Burgerservicenummer, nine digits."),
    )
    voornamen = models.CharField(_("first names"), max_length=200)
    tussenvoegsel = models.CharField(_("name prefix"), max_length=20, blank=True)
    achternaam = models.CharField(_("surname"), max_length=200)
    geboortedatum = models.DateField(_("date of birth"))
    nationaliteit = models.CharField(_("nationality"), max_length=100, blank=True)
    talen = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages spoken, comma separated."),
    )
    tolk_nodig = models.BooleanField(_("interpreter needed"), default=False)
    tolk_taal = models.CharField(_("interpreter language"), max_length=100, blank=True)
    contactkanalen = ArrayField(
        models.CharField(max_length=20, choices=ContactKanaal.choices),
        verbose_name=_("contact channels"),
        default=list,
        blank=True,
    )
    telefoonnummer = models.CharField(_("telephone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Woonadres and an optional correspondentieadres (``ADRES_VELDEN``). Blank at the database
    # level so people registered before addresses were kept still load; a beschikking needs a
    # postal address (Awb 3:41), which ``pip_controleren`` requires before vaststelling.
    woonadres_straat = models.CharField(
        _("residential address: street"), max_length=100, blank=True
    )
    woonadres_huisnummer = models.PositiveIntegerField(
        _("residential address: house number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99999)],
    )
    woonadres_huisletter = models.CharField(
        _("residential address: house letter"),
        max_length=1,
        blank=True,
        validators=[validate_huisletter],
    )
    woonadres_toevoeging = models.CharField(
        _("residential address: addition"),
        max_length=4,
        blank=True,
        validators=[validate_huisnummertoevoeging],
    )
    woonadres_postcode = models.CharField(
        _("residential address: postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    woonadres_woonplaats = models.CharField(
        _("residential address: place"), max_length=80, blank=True
    )
    correspondentieadres_straat = models.CharField(
        _("correspondence address: street"), max_length=100, blank=True
    )
    correspondentieadres_huisnummer = models.PositiveIntegerField(
        _("correspondence address: house number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99999)],
    )
    correspondentieadres_huisletter = models.CharField(
        _("correspondence address: house letter"),
        max_length=1,
        blank=True,
        validators=[validate_huisletter],
    )
    correspondentieadres_toevoeging = models.CharField(
        _("correspondence address: addition"),
        max_length=4,
        blank=True,
        validators=[validate_huisnummertoevoeging],
    )
    correspondentieadres_postcode = models.CharField(
        _("correspondence address: postcode"),
        max_length=7,
        blank=True,
        validators=[validate_postcode],
    )
    correspondentieadres_woonplaats = models.CharField(
        _("correspondence address: place"), max_length=80, blank=True
    )
    doelgroep = models.CharField(_("target group"), max_length=20, choices=Doelgroep.choices)
    regime = models.CharField(
        _("regime"), max_length=20, choices=Regime.choices, default=Regime.WI2021
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    objects = InburgeraarManager()
    # scoped like ``objects``, but per change: the gemeente it was made for (see below)
    history = gescoopte_historie(
        gemeente=lambda qs, gemeenten: persoonshistorie_in(qs, gemeenten),
        extra_velden={"historie_gemeente": historie_gemeente_veld()},
    )

    class Meta:
        verbose_name = _("inburgeraar")
        verbose_name_plural = _("inburgeraars")
        constraints = [
            # One person, one record, across all gemeenten (relocation keeps the person).
            models.UniqueConstraint(fields=["bsn"], name="uniq_inburgeraar_bsn"),
            # A BSN is stored as nine ASCII digits (normalised first), so "١١١٢٢٢٣٣٣" can
            # never sit beside "111222333" as a second person.
            models.CheckConstraint(
                condition=models.Q(bsn__regex=r"^[0-9]{9}$"), name="chk_inburgeraar_bsn_ascii"
            ),
        ]
        indexes = [
            # caseload search by surname
            models.Index(fields=["achternaam", "voornamen"], name="idx_inburgeraar_naam"),
        ]
        triggers = [
            # the dossiers' copy of the name they are sorted by (``Dossier.SORTEERNAAM_VELDEN``)
            pgtrigger.Trigger(
                name="sorteernaam_naar_dossiers",
                level=pgtrigger.Row,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("achternaam", "voornamen"),
                func="""
UPDATE cases_dossier SET sorteer_achternaam = NEW.achternaam, sorteer_voornamen = NEW.voornamen
WHERE inburgeraar_id = NEW.id;
RETURN NULL;
""",
            ),
        ]

    def __str__(self) -> str:
        return self.volledige_naam

    @classmethod
    def from_db(
        cls, db: Any, field_names: Any, values: Any, *args: Any, **kwargs: Any
    ) -> Inburgeraar:
        """Every person loaded from the database inside a log span (a page, an API answer, a
        search, a PDF, an export) is one read in the Logboek Dataverwerkingen."""
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        if logboek.huidige() is None:
            return instance
        bsn = instance.__dict__.get("bsn")
        if bsn is None:  # deferred (``.only()``): read it, the read still counts
            from .verwerkingen import bsn_van_persoon

            bsn = bsn_van_persoon(instance.pk)
        logboek.gelezen(bsn)
        return instance

    @property
    def volledige_naam(self) -> str:
        return " ".join(p for p in (self.voornamen, self.tussenvoegsel, self.achternaam) if p)

    def get_contactkanalen_display(self) -> str:
        """The channels by their labels ("WhatsApp", "telefoon"), not the stored values."""
        labels = dict(ContactKanaal.choices)
        return ", ".join(str(labels.get(k, k)) for k in self.contactkanalen)

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.tolk_nodig and not self.tolk_taal:
            errors["tolk_taal"] = [_("Say in which language an interpreter is needed.")]
        for soort in ADRES_SOORTEN:
            waarden = {deel: getattr(self, f"{soort}_{deel}") for deel in ADRES_DELEN}
            if any(v not in (None, "") for v in waarden.values()):
                for deel in ADRES_VERPLICHTE_DELEN:
                    if waarden[deel] in (None, ""):
                        errors.setdefault(f"{soort}_{deel}", []).append(
                            _("Required for a complete address (street, number, postcode, place).")
                        )
        if errors:
            raise ValidationError(errors)

    def adres(self, soort: str) -> rules.Adres | None:
        """The ``woonadres`` or ``correspondentieadres`` when it is complete, else None."""
        waarden = {deel: getattr(self, f"{soort}_{deel}") for deel in ADRES_DELEN}
        if any(waarden[deel] in (None, "") for deel in ADRES_VERPLICHTE_DELEN):
            return None
        return rules.Adres(**waarden)

    @property
    def woonadres(self) -> rules.Adres | None:
        return self.adres("woonadres")

    @property
    def correspondentieadres(self) -> rules.Adres | None:
        return self.adres("correspondentieadres")

    @property
    def postadres(self) -> rules.Adres | None:
        """Where letters go: the correspondentieadres when recorded, else the woonadres."""
        return self.correspondentieadres or self.woonadres


# the columns the database derives from a dossier's clocks (cases/models/termijnen.py)
TERMIJNSTAND_VELDEN = (
    "termijn_eerstvolgend_op",
    "termijn_eerstvolgend_code",
    "termijn_eerstvolgend_volgnummer",
    "termijnen_verlopen_aantal",
)
# the person's name, copied onto the dossier by the database so that name-ordered lists (the
# caseload, the API) read a dossier index in order and stop after a page, instead of sorting
# every dossier in scope joined with its person
SORTEERNAAM_VELDEN = ("sorteer_achternaam", "sorteer_voornamen")
# kept by the database, never written by ``save()`` nor kept in the history
DATABASEVELDEN = TERMIJNSTAND_VELDEN + SORTEERNAAM_VELDEN


class Dossier(models.Model):
    """The case of one inburgeraar in one gemeente."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inburgeraar = models.ForeignKey(
        Inburgeraar,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("inburgeraar"),
    )
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("gemeente")
    )
    werkcoach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers_als_werkcoach",
        verbose_name=_("werkcoach"),
        null=True,
        blank=True,
    )
    # the running begeleiding's begeleider, kept in sync by ``begeleiding.services`` (whom the
    # termijn sweep signals besides the werkcoach); it grants no access by itself
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers_als_begeleider",
        verbose_name=_("maatschappelijk begeleider"),
        null=True,
        blank=True,
    )
    fase = models.CharField(_("phase"), max_length=20, choices=Fase.choices, default=Fase.AANGEMELD)
    datum_koppeling = models.DateField(_("date of koppeling"), null=True, blank=True)
    datum_huisvesting = models.DateField(_("date of housing"), null=True, blank=True)
    datum_brp_inschrijving = models.DateField(_("date of BRP registration"), null=True, blank=True)
    coa_referentie = models.CharField(_("COA/TVS reference"), max_length=50, blank=True)
    vorig_dossier = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="volgend_dossier",
        verbose_name=_("previous dossier"),
        null=True,
        blank=True,
    )
    datum_afgesloten = models.DateField(_("date closed"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    # Derived from the dossier's clocks by the database (``TERMIJNSTAND_SQL``, triggers on
    # ``cases_termijn``), never written by the application: ``save()`` leaves them out.
    termijn_eerstvolgend_op = models.DateField(null=True, editable=False)
    termijn_eerstvolgend_code = models.CharField(max_length=40, null=True, editable=False)
    termijn_eerstvolgend_volgnummer = models.PositiveSmallIntegerField(null=True, editable=False)
    termijnen_verlopen_aantal = models.PositiveIntegerField(db_default=0, editable=False)
    # The person's name, copied by the database (triggers on both tables, ``SORTEERNAAM_VELDEN``)
    sorteer_achternaam = models.CharField(max_length=200, db_default="", editable=False)
    sorteer_voornamen = models.CharField(max_length=200, db_default="", editable=False)

    # django-scopes builds the manager class at runtime; tell the type checker what it is.
    objects: ClassVar[models.Manager[Dossier]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager[Dossier]]
    history = gescoopte_historie(gemeente="gemeente", uitgesloten=list(DATABASEVELDEN))

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        permissions = [
            ("view_medisch", _("Can see the medical intake domains")),
            ("view_historie_dossier", _("Can see a dossier's history")),
            ("notitie_dossier", _("Can add notes to a dossier's timeline")),
            ("toewijzen_dossier", _("Can (bulk) reassign dossiers")),
            ("verhuizen_dossier", _("Can relocate a dossier to another gemeente")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inburgeraar"],
                condition=~Q(fase__in=GESLOTEN_FASEN),
                name="uniq_open_dossier_per_inburgeraar",
                violation_error_message=_(
                    "This person already has an open dossier; a person has at most one open "
                    "dossier (relocate it instead)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(datum_huisvesting__isnull=True)
                | Q(datum_koppeling__isnull=True)
                | Q(datum_huisvesting__gte=models.F("datum_koppeling")),
                name="chk_dossier_huisvesting_na_koppeling",
                violation_error_message=_("Housing cannot be before the koppeling."),
            ),
        ]
        indexes = [
            # caseload: a team's dossiers by gemeente and phase
            models.Index(fields=["gemeente", "fase"], name="idx_dossier_gemeente_fase"),
            # "my caseload": a werkcoach's open dossiers
            models.Index(fields=["werkcoach", "fase"], name="idx_dossier_werkcoach_fase"),
            # a begeleider's assigned dossiers
            models.Index(fields=["begeleider"], name="idx_dossier_begeleider"),
            # the caseload sorted by nearest deadline: read in due order, stop after a page
            # (btree ASC puts NULLs last: the order of ``asc(nulls_last=True)``)
            models.Index(fields=["termijn_eerstvolgend_op", "id"], name="idx_dossier_eerstvolgend"),
            # name-ordered lists: a werkcoach's caseload, and everything in scope (API, team)
            models.Index(
                fields=["werkcoach", "sorteer_achternaam", "sorteer_voornamen", "id"],
                name="idx_dossier_werkcoach_naam",
            ),
            models.Index(
                fields=["sorteer_achternaam", "sorteer_voornamen", "id"], name="idx_dossier_naam"
            ),
        ]
        triggers = [
            # the person's name to sort by, from the inburgeraar, when the row is written with
            # another person or other (stale) name values; a write that leaves them (the
            # deadline columns, ``save()``) costs no lookup
            pgtrigger.Trigger(
                name="sorteernaam_van_inburgeraar",
                level=pgtrigger.Row,
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
IF TG_OP = 'INSERT' OR NEW.inburgeraar_id IS DISTINCT FROM OLD.inburgeraar_id
   OR NEW.sorteer_achternaam IS DISTINCT FROM OLD.sorteer_achternaam
   OR NEW.sorteer_voornamen IS DISTINCT FROM OLD.sorteer_voornamen THEN
    SELECT i.achternaam, i.voornamen INTO NEW.sorteer_achternaam, NEW.sorteer_voornamen
    FROM cases_inburgeraar i WHERE i.id = NEW.inburgeraar_id;
END IF;
RETURN NEW;
""",
            ),
            # a dossier given another werkcoach or gemeente takes its clocks' counts along
            # (``TermijnTeller``), in the same statement — a form, a bulk reassignment, a move
            pgtrigger.Trigger(
                name="termijnteller_na_dossier",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="oud", new="nieuw"),
                func=TELLER_DOSSIER_SQL,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inburgeraar} — {self.gemeente}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving an existing dossier writes every field but the clocks' derived columns: the
        database keeps those, and an instance read before a clock changed must not undo it."""
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in DATABASEVELDEN
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return rules.is_open(self.fase)

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        # Key dates record facts: not in the future; housing not before the koppeling (also a
        # database constraint, chk_dossier_huisvesting_na_koppeling).
        feitdatums_controleren(
            errors,
            {
                "datum_koppeling": (self.datum_koppeling, None, ""),
                "datum_huisvesting": (
                    self.datum_huisvesting,
                    self.datum_koppeling,
                    _("the koppeling"),
                ),
                "datum_brp_inschrijving": (self.datum_brp_inschrijving, None, ""),
            },
        )
        if self.inburgeraar_id:
            for field in rules.vereiste_datums(self.fase, self.inburgeraar.doelgroep):
                if not getattr(self, field):
                    errors.setdefault(field, []).append(
                        _("Required in phase “%(fase)s”.") % {"fase": self.get_fase_display()}
                    )
        if self.werkcoach_id and self.gemeente_id:
            coach = cast(User, self.werkcoach)
            if not coach.heeft_rol(Rol.WERKCOACH, Rol.TEAMLEIDER):
                errors.setdefault("werkcoach", []).append(_("This user is not a werkcoach."))
            elif not (
                coach.organisatie_id
                and cast(Organisatie, coach.organisatie)
                .gemeenten.filter(pk=self.gemeente_id)
                .exists()
            ):
                errors.setdefault("werkcoach", []).append(
                    _("This werkcoach's team does not serve %(gemeente)s.")
                    % {"gemeente": self.gemeente}
                )
        if self.begeleider_id and self.gemeente_id:
            begeleider = cast(User, self.begeleider)
            if not begeleider.heeft_rol(Rol.BEGELEIDER):
                errors.setdefault("begeleider", []).append(
                    _("This user is not a maatschappelijk begeleider.")
                )
            elif not (
                begeleider.organisatie_id
                and cast(Organisatie, begeleider.organisatie)
                .gemeenten.filter(pk=self.gemeente_id)
                .exists()
            ):
                errors.setdefault("begeleider", []).append(
                    _("This begeleider's organisation does not work in %(gemeente)s.")
                    % {"gemeente": self.gemeente}
                )
        if errors:
            raise ValidationError(errors)


def _historie_gemeente_vastleggen(
    sender: Any, instance: Any, history_instance: Any, **kw: Any
) -> None:
    history_instance.historie_gemeente_id = historie_gemeente_voor(instance)


pre_create_historical_record.connect(
    _historie_gemeente_vastleggen,
    sender=Inburgeraar.history.model,  # type: ignore[attr-defined]
    dispatch_uid="inburgeraar_historie_gemeente",
)


class Gebeurtenis(models.Model):
    """An append-only timeline entry of a business event, written by the services.

    ``soort`` is a registered kind (``cases.tijdlijn``: "dossier.fase", "intake.afgerond" …),
    ``gegevens`` its parameters; the sentence is rendered when read, in the reader's language
    (``tekst``). ``omschrijving`` keeps the text of a note (user content) and the sentence of a
    row written before kinds had parameters."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="gebeurtenissen")
    soort = models.CharField(_("kind"), max_length=50)
    tijdstip = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    omschrijving = models.TextField(_("description"), blank=True)
    gegevens = models.JSONField(default=dict, blank=True)

    # django-scopes builds the manager class at runtime; tell the type checker what it is.
    objects: ClassVar[models.Manager[Gebeurtenis]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager[Gebeurtenis]]

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-tijdstip", "-id"]
        indexes = [
            # dossier page: its timeline, newest first
            models.Index(fields=["dossier", "-tijdstip"], name="idx_gebeurtenis_dossier_tijd"),
        ]

    def __str__(self) -> str:
        return f"{self.soort_label}: {self.tekst[:40]}"

    def clean(self) -> None:
        from .. import tijdlijn

        tijdlijn.controleren(self.soort, self.gegevens, self.omschrijving)

    @property
    def tekst(self) -> str:
        """The event's text in the active (the reader's) language."""
        from .. import tijdlijn

        return tijdlijn.weergeven(self.soort, self.gegevens, self.omschrijving)

    @property
    def soort_label(self) -> str:
        from .. import tijdlijn

        return tijdlijn.label(self.soort)

    @property
    def is_notitie(self) -> bool:
        from .. import tijdlijn

        return self.soort in tijdlijn.register and tijdlijn.soort(self.soort).vrije_tekst
