"""Termijnen (statutory and policy clocks) with their extensions, the gemeente's policy for
them, and the signals and sweep runs they lead to; the rules are in ``cases.termijnregels``."""

import uuid
from typing import Any, ClassVar

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from inburgering.accounts.models import Gemeente
from inburgering.core import weergave
from inburgering.core.historie import gescoopte_historie

from ..constants import (
    SignaalSoort,
    TermijnSoort,
    TermijnStatus,
)
from .dossier import Dossier
from .tellersql import KLOK_NIEUW, KLOK_OUD, TELLER_KLOKKEN_SQL

# --- Termijnen (statutory and policy clocks), see cases/termijnregels.py ---------------------

INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN = 24  # the longest extension any policy may grant
STANDAARD_MAX_VERLENGING_MAANDEN = 6  # without a policy of its own (HBEL: 3.5 years in total)


def _standaard_waarschuwingsdagen() -> list[int]:
    return [14, 0]


class TermijnBeleid(models.Model):
    """A gemeente's policy clocks and lead times, kept by the functioneel beheerder. Statutory
    lengths are fixed in code; these only switch policy clocks on and set their length."""

    gemeente = models.OneToOneField(
        Gemeente, on_delete=models.CASCADE, related_name="termijnbeleid", verbose_name=_("gemeente")
    )
    waarschuwingsdagen = ArrayField(
        models.PositiveSmallIntegerField(validators=[MaxValueValidator(365)]),
        default=_standaard_waarschuwingsdagen,
        size=5,
        verbose_name=_("warning lead times (days before the due date)"),
        help_text=_("Comma-separated, e.g. 14,0: a signal 14 days before and on the due date."),
    )
    pip_na_intake_weken = models.PositiveSmallIntegerField(
        _("PIP within … weeks after the brede intake"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(52)],
        help_text=_("Policy clock (e.g. HBEL: 4). Empty: not used."),
    )
    taalstart_weken = models.PositiveSmallIntegerField(
        _("Taalstart report within … weeks after BRP registration"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(52)],
        help_text=_("Policy clock (e.g. Landsmeer: 10). Empty: not used."),
    )
    mb_maanden = models.PositiveSmallIntegerField(
        _("maatschappelijke begeleiding ends … months after housing"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("Policy clock (e.g. Landsmeer: 14, Vught: 12). Empty: not used."),
    )
    max_verlenging_inburgeringstermijn_maanden = models.PositiveSmallIntegerField(
        _("longest extension of the inburgeringstermijn (months)"),
        default=STANDAARD_MAX_VERLENGING_MAANDEN,
        validators=[MaxValueValidator(INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN)],
        help_text=_("HBEL: 6 (3.5 years in total); Landsmeer allows up to 24 for alfabetisering."),
    )
    min_voortgangsgesprekken_per_jaar = models.PositiveSmallIntegerField(
        _("minimum number of voortgangsgesprekken per year"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("A PIP must agree at least this many a year (Het Hogeland: 2)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return str(self.gemeente)


# The dossier's next-due columns (``Dossier.TERMIJNSTAND``) from its clocks: the open clock due
# first (date, rule, number) and how many are overdue. Run by statement-level triggers over the
# dossiers a statement touched (its transition tables), so every path — a form, the API, the
# set-based sweep, a raw UPDATE, an import — keeps them in the same transaction; a row that
# would not change is not written. Read by the caseload and the API list instead of a
# subquery per dossier, with the index ``idx_dossier_eerstvolgend``.
TERMIJNSTAND_SQL = """
UPDATE cases_dossier d SET
    termijn_eerstvolgend_op = v.uiterste_datum,
    termijn_eerstvolgend_code = v.code,
    termijn_eerstvolgend_volgnummer = v.volgnummer,
    termijnen_verlopen_aantal = n.aantal
FROM (SELECT DISTINCT dossier_id FROM ({geraakt}) AS t) AS g
LEFT JOIN LATERAL (
    SELECT t.uiterste_datum, t.code, t.volgnummer FROM cases_termijn t
    WHERE t.dossier_id = g.dossier_id AND t.status = 'open'
    ORDER BY t.uiterste_datum, t.code, t.volgnummer LIMIT 1
) AS v ON true
CROSS JOIN LATERAL (
    SELECT count(*)::integer AS aantal FROM cases_termijn t
    WHERE t.dossier_id = g.dossier_id AND t.status = 'verlopen'
) AS n
WHERE d.id = g.dossier_id
  AND (d.termijn_eerstvolgend_op, d.termijn_eerstvolgend_code, d.termijn_eerstvolgend_volgnummer,
       d.termijnen_verlopen_aantal)
      IS DISTINCT FROM (v.uiterste_datum, v.code, v.volgnummer, n.aantal);
RETURN NULL;
"""


class Termijn(models.Model):
    """One clock of one dossier: computed from facts by ``cases.termijnen.herberekenen`` and
    marked overdue by the sweep (``cases.bewaking``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="termijnen", verbose_name=_("dossier")
    )
    code = models.CharField(_("rule"), max_length=40)
    volgnummer = models.PositiveSmallIntegerField(_("number"), default=1)
    soort = models.CharField(_("kind"), max_length=10, choices=TermijnSoort.choices)
    startdatum = models.DateField(_("start"))
    berekende_datum = models.DateField(_("due date by the rule"))
    uiterste_datum = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=TermijnStatus.choices, default=TermijnStatus.OPEN
    )
    gehaald_op = models.DateField(_("met on"), null=True, blank=True)
    handmatig_gehaald = models.BooleanField(_("marked met by hand"), default=False)
    toelichting = models.TextField(_("explanation"), blank=True)
    gewijzigd_op = models.DateTimeField(_("changed"), default=timezone.now)

    objects: ClassVar[models.Manager["Termijn"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Termijn"]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["uiterste_datum", "code", "volgnummer"]
        permissions = [("beheren_termijn", _("Can extend a deadline or mark it met"))]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "code", "volgnummer"], name="uniq_termijn_per_dossier_regel"
            ),
            models.CheckConstraint(
                condition=Q(uiterste_datum__gte=models.F("berekende_datum")),
                name="chk_termijn_verlenging_niet_korter",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[TermijnStatus.GEHAALD, TermijnStatus.TE_LAAT_GEHAALD],
                    gehaald_op__isnull=False,
                )
                | (
                    ~Q(status__in=[TermijnStatus.GEHAALD, TermijnStatus.TE_LAAT_GEHAALD])
                    & Q(gehaald_op__isnull=True)
                ),
                name="chk_termijn_gehaald_heeft_datum",
            ),
        ]
        indexes = [
            # sweep, caseload column and teamleider overview: open clocks by due date
            models.Index(
                fields=["dossier", "uiterste_datum"],
                condition=Q(status="open"),
                name="idx_termijn_open_per_dossier",
            ),
            models.Index(
                fields=["uiterste_datum"],
                condition=Q(status="open"),
                name="idx_termijn_open_vervaldatum",
            ),
            # teamleider overview and escalation: overdue clocks
            models.Index(
                fields=["dossier"], condition=Q(status="verlopen"), name="idx_termijn_verlopen"
            ),
        ]

        triggers = [
            # the dossier's "next due" columns, in the statement that changed its clocks
            pgtrigger.Trigger(
                name="termijnstand_na_insert",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="nieuw"),
                func=TERMIJNSTAND_SQL.format(geraakt="SELECT dossier_id FROM nieuw"),
            ),
            pgtrigger.Trigger(
                name="termijnstand_na_update",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="oud", new="nieuw"),
                func=TERMIJNSTAND_SQL.format(
                    geraakt="SELECT dossier_id FROM nieuw UNION SELECT dossier_id FROM oud"
                ),
            ),
            pgtrigger.Trigger(
                name="termijnstand_na_delete",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                referencing=pgtrigger.Referencing(old="oud"),
                func=TERMIJNSTAND_SQL.format(geraakt="SELECT dossier_id FROM oud"),
            ),
            # the teamleider overview's counts (``TermijnTeller``), in the same statement
            pgtrigger.Trigger(
                name="termijnteller_na_insert",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="nieuw"),
                func=TELLER_KLOKKEN_SQL.format(wijziging=KLOK_NIEUW),
            ),
            pgtrigger.Trigger(
                name="termijnteller_na_update",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="oud", new="nieuw"),
                func=TELLER_KLOKKEN_SQL.format(wijziging=f"{KLOK_NIEUW} UNION ALL {KLOK_OUD}"),
            ),
            pgtrigger.Trigger(
                name="termijnteller_na_delete",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                referencing=pgtrigger.Referencing(old="oud"),
                func=TELLER_KLOKKEN_SQL.format(wijziging=KLOK_OUD),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.omschrijving} {weergave.datum(self.uiterste_datum)}"

    @property
    def regel(self) -> Any:
        from ..termijnregels import registry

        return registry.get(self.code)

    @property
    def omschrijving(self) -> str:
        from ..termijnregels import registry

        return registry.omschrijving(self.code, self.volgnummer)

    @property
    def is_afgesloten(self) -> bool:
        return self.status not in (TermijnStatus.OPEN, TermijnStatus.VERLOPEN)


class TermijnTeller(models.Model):
    """How many clocks ask for attention, per gemeente, werkcoach and rule: open ones per due
    date, overdue ones in one count. Kept by the database (``cases.models.tellersql``, triggers
    on ``cases_termijn`` and ``cases_dossier``), never written by the application; read by the
    teamleider overview, so its matrix costs the same over 200 or 250,000 dossiers."""

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    werkcoach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    code = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=TermijnStatus.choices)
    uiterste_datum = models.DateField(null=True)  # open clocks only
    aantal = models.IntegerField()

    objects: ClassVar[models.Manager["TermijnTeller"]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager["TermijnTeller"]]

    class Meta:
        verbose_name = _("deadline count")
        verbose_name_plural = _("deadline counts")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "werkcoach", "code", "status", "uiterste_datum"],
                nulls_distinct=False,
                name="uniq_termijnteller",
            ),
        ]
        indexes = [
            # the overview: a scope's overdue counts and its open ones up to the horizon
            models.Index(
                fields=["gemeente", "status", "uiterste_datum"], name="idx_termijnteller_scope"
            ),
            # the triggers remove counts that reached zero
            models.Index(fields=["id"], condition=Q(aantal=0), name="idx_termijnteller_nul"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.status} {self.uiterste_datum or ''}: {self.aantal}"


class Verlenging(models.Model):
    """An extension of a termijn: who moved the due date, from when to when, and why."""

    termijn = models.ForeignKey(Termijn, on_delete=models.PROTECT, related_name="verlengingen")
    van_datum = models.DateField(_("from"))
    tot_datum = models.DateField(_("to"))
    reden = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    tijdstip = models.DateTimeField(_("time"), default=timezone.now)

    objects: ClassVar[models.Manager["Verlenging"]] = ScopedManager(
        gemeente="termijn__dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager["Verlenging"]]

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["tijdstip", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tot_datum__gt=models.F("van_datum")), name="chk_verlenging_later"
            ),
            models.CheckConstraint(condition=~Q(reden=""), name="chk_verlenging_reden"),
        ]

    def __str__(self) -> str:
        return f"{weergave.datum(self.van_datum)} → {weergave.datum(self.tot_datum)}"


class Signaal(models.Model):
    """A work item about a termijn for one user. Created by the sweep with
    ``INSERT … ON CONFLICT DO NOTHING`` on ``uniq_signaal_per_termijn_drempel``, so each
    threshold of each due date reaches each user exactly once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signalen",
        verbose_name=_("recipient"),
    )
    termijn = models.ForeignKey(Termijn, on_delete=models.CASCADE, related_name="signalen")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="signalen")
    soort = models.CharField(_("kind"), max_length=20, choices=SignaalSoort.choices)
    dagen_voor = models.SmallIntegerField(_("days before the due date"), default=0)
    uiterste_datum = models.DateField(_("due date"))
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now)
    afgehandeld_op = models.DateTimeField(_("handled"), null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    gemaild_op = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects: ClassVar[models.Manager["Signaal"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Signaal"]]

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-aangemaakt_op", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["termijn", "ontvanger", "soort", "dagen_voor", "uiterste_datum"],
                name="uniq_signaal_per_termijn_drempel",
            ),
        ]
        indexes = [
            # "Mijn signalen" and the header count
            models.Index(
                fields=["ontvanger", "-aangemaakt_op"],
                condition=Q(afgehandeld_op__isnull=True),
                name="idx_signaal_open_inbox",
            ),
            # the daily digest: open signals not yet e-mailed
            models.Index(
                fields=["ontvanger"],
                condition=Q(gemaild_op__isnull=True, afgehandeld_op__isnull=True),
                name="idx_signaal_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()}: {self.termijn_id}"


class DigestVerzending(models.Model):
    """One e-mail digest per user per day; the unique constraint makes "at most once a day"
    hold even when two workers send at the same time."""

    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    datum = models.DateField()
    aantal = models.PositiveIntegerField(default=0)
    verzonden_op = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ontvanger", "datum"], name="uniq_digest_per_dag")
        ]

    def __str__(self) -> str:
        return f"{self.ontvanger_id} {weergave.datum(self.datum)}"


class BewakingsRun(models.Model):
    """Progress of one sweep: a checkpoint after every committed chunk, so a sweep that was
    killed resumes where it stopped, and the teamleider sees when the clocks were last checked."""

    peildatum = models.DateField()
    gestart_op = models.DateTimeField(default=timezone.now)
    voltooid_op = models.DateTimeField(null=True, blank=True)
    laatste_dossier_id = models.BigIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    verlopen = models.PositiveIntegerField(default=0)
    signalen = models.PositiveIntegerField(default=0)
    escalaties = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-gestart_op", "-id"]
        indexes = [
            models.Index(
                fields=["peildatum"],
                condition=Q(voltooid_op__isnull=True),
                name="idx_bewakingsrun_onvoltooid",
            )
        ]

    def __str__(self) -> str:
        return f"{weergave.datum(self.peildatum)} ({self.chunks} chunks)"
