import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from cases.models import Dossier
from inburgering.core import weergave
from inburgering.core.historie import gescoopte_historie

from .constants import (
    Beoordeling,
    Domein,
    Einddoel,
    Examendeel,
    GesprekLocatie,
    Leerroute,
    Leersnelheid,
    PipStatus,
    RouteWijzigingSoort,
    VasteLast,
)

User = settings.AUTH_USER_MODEL


class BredeIntake(models.Model):
    """The brede intake of one dossier: conversations, the 14 domains, leerbaarheid, Taalstart."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="intake")
    datum_afgerond = models.DateField(_("date completed"), null=True, blank=True)
    # leerbaarheidstoets (mandatory, independent)
    leerbaarheid_datum = models.DateField(_("learnability test date"), null=True, blank=True)
    leerbaarheid_instrument = models.CharField(_("instrument"), max_length=100, blank=True)
    leerbaarheid_score = models.CharField(_("score / outcome"), max_length=100, blank=True)
    leerbaarheid_laag = models.BooleanField(_("low learnability"), null=True, blank=True)
    leerbaarheid_advies = models.TextField(_("advice"), blank=True)
    # Taalstart (Landsmeer) — optional
    taalstart_taalniveau = models.CharField(_("language level"), max_length=20, blank=True)
    taalstart_geletterd = models.BooleanField(_("literate"), null=True, blank=True)
    taalstart_leersnelheid = models.CharField(
        _("learning speed"), max_length=10, choices=Leersnelheid.choices, blank=True
    )
    taalstart_studievaardigheden = models.TextField(_("study skills"), blank=True)
    taalstart_zelfsturing = models.TextField(_("self-directed learning"), blank=True)
    taalstart_digitaal = models.TextField(_("digital skills"), blank=True)
    taalstart_route_advies = models.CharField(
        _("route advice"), max_length=20, choices=Leerroute.choices, blank=True
    )
    diploma_erkenning = models.CharField(
        _("diploma recognition (Nuffic/SBB)"), max_length=200, blank=True
    )
    signalen = models.TextField(_("signals (trauma, domestic violence) and referrals"), blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["BredeIntake"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["BredeIntake"]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("brede intake")
        verbose_name_plural = _("brede intakes")

    def __str__(self) -> str:
        return f"Brede intake {self.dossier}"


class IntakeGesprek(models.Model):
    intake = models.ForeignKey(BredeIntake, on_delete=models.PROTECT, related_name="gesprekken")
    datum = models.DateField(_("date"))
    locatie = models.CharField(_("where"), max_length=20, choices=GesprekLocatie.choices)
    werkcoach = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    participatieconsulent = models.CharField(_("participatieconsulent"), max_length=100, blank=True)
    begeleider_aanwezig = models.BooleanField(_("begeleider present"), default=False)
    tolk_taal = models.CharField(_("interpreter (language)"), max_length=100, blank=True)
    verschenen = models.BooleanField(_("appeared"), default=True)
    meegewerkt = models.BooleanField(_("cooperated"), default=True)
    notities = models.TextField(_("notes"), blank=True)

    objects: ClassVar[models.Manager["IntakeGesprek"]] = ScopedManager(
        gemeente="intake__dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager["IntakeGesprek"]]
    history = gescoopte_historie(gemeente="intake__dossier__gemeente")

    class Meta:
        verbose_name = _("intake conversation")
        verbose_name_plural = _("intake conversations")
        ordering = ["datum", "id"]

    def __str__(self) -> str:
        return f"{weergave.datum(self.datum)} {self.get_locatie_display()}"


class DomeinBeoordeling(models.Model):
    """One life domain's assessment. Medical domains are filtered by the access policy."""

    intake = models.ForeignKey(BredeIntake, on_delete=models.PROTECT, related_name="domeinen")
    domein = models.CharField(_("domain"), max_length=30, choices=Domein.choices)
    beoordeling = models.CharField(_("assessment"), max_length=20, choices=Beoordeling.choices)
    toelichting = models.TextField(_("notes"), blank=True)

    objects: ClassVar[models.Manager["DomeinBeoordeling"]] = ScopedManager(
        gemeente="intake__dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager["DomeinBeoordeling"]]
    history = gescoopte_historie(gemeente="intake__dossier__gemeente")

    class Meta:
        verbose_name = _("domain assessment")
        verbose_name_plural = _("domain assessments")
        constraints = [
            models.UniqueConstraint(fields=["intake", "domein"], name="uniq_domein_per_intake")
        ]

    def __str__(self) -> str:
        return f"{self.get_domein_display()}: {self.get_beoordeling_display()}"


class Kind(models.Model):
    intake = models.ForeignKey(BredeIntake, on_delete=models.PROTECT, related_name="kinderen")
    geboortejaar = models.PositiveSmallIntegerField(_("year of birth"))
    vve_keuze = models.CharField(_("early-education (VVE) choice"), max_length=200, blank=True)

    objects: ClassVar[models.Manager["Kind"]] = ScopedManager(gemeente="intake__dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Kind"]]
    history = gescoopte_historie(gemeente="intake__dossier__gemeente")

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return str(self.geboortejaar)


class Pip(models.Model):
    """One version of the PIP. From ``vastgesteld`` on it is a beschikking and immutable; a
    change is a new version referring to this one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pips")
    versie = models.PositiveSmallIntegerField(_("version"), default=1)
    vorige_versie = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="volgende_versie"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PipStatus.choices, default=PipStatus.CONCEPT
    )
    # 1. inburgering
    leerroute = models.CharField(
        _("leerroute"), max_length=20, choices=Leerroute.choices, blank=True
    )
    route_motivatie = models.TextField(_("motivation of the route"), blank=True)
    onderwijsroute_overwogen = models.TextField(
        _("why not the onderwijsroute (under 28)"), blank=True
    )
    einddoel = models.CharField(_("goal"), max_length=20, choices=Einddoel.choices, blank=True)
    a2_examendelen = ArrayField(
        models.CharField(max_length=20, choices=Examendeel.choices), default=list, blank=True
    )
    aanbieder = models.CharField(_("language provider"), max_length=200, blank=True)
    uren_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    verwachte_duur_maanden = models.PositiveSmallIntegerField(
        _("expected duration (months)"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    knm = models.BooleanField(_("KNM"), default=True)
    map_vrijgesteld = models.BooleanField(_("MAP exempt"), default=False)
    map_vrijstelling_grond = models.TextField(
        _("ground for the MAP exemption"),
        blank=True,
        help_text=_(
            "Required when MAP is exempted outside the onderwijsroute (which exempts it "
            "automatically)."
        ),
    )
    pvt = models.BooleanField(_("PVT"), default=True)
    # 2. participatie
    participatie = models.TextField(_("participation (work, volunteering, internship)"), blank=True)
    participatie_uren_per_week = models.PositiveSmallIntegerField(
        _("participation hours per week"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    # 3. ontzorgen
    heeft_uitkering = models.BooleanField(_("on a Participatiewet benefit"), default=False)
    ontzorgen_vaste_lasten = ArrayField(
        models.CharField(max_length=20, choices=VasteLast.choices), default=list, blank=True
    )
    ontzorgen_start = models.DateField(_("ontzorgen from"), null=True, blank=True)
    ontzorgen_maanden = models.PositiveSmallIntegerField(
        _("ontzorgen months"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    ontzorgen_motivatie = models.TextField(_("motivation for deviating"), blank=True)
    financiele_training = models.CharField(
        _("financial-skills training"), max_length=200, blank=True
    )
    # 4. begeleiding en ondersteuning
    voortgangsgesprekken_per_jaar = models.PositiveSmallIntegerField(
        _("progress conversations per year"), null=True, blank=True
    )
    maatschappelijke_begeleiding = models.BooleanField(
        _("maatschappelijke begeleiding"), default=False
    )
    workshops = models.TextField(_("workshops"), blank=True)
    kinderopvang = models.TextField(_("child care"), blank=True)
    vve = models.TextField(_("VVE"), blank=True)
    # decision
    kenmerk = models.CharField(_("reference"), max_length=40, blank=True)
    goedgekeurd_door = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why the teamleider sent it back (``pip_terugsturen``); shown to the werkcoach until it is
    # submitted again. The history keeps every comment with who wrote it.
    terugstuur_opmerking = models.TextField(_("teamleider's comment"), blank=True)
    teruggestuurd_door = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    datum_vastgesteld = models.DateField(_("date issued"), null=True, blank=True)
    termijn_start = models.DateField(_("inburgeringstermijn start"), null=True, blank=True)
    termijn_eind = models.DateField(_("inburgeringstermijn end"), null=True, blank=True)
    bezwaar_tot = models.DateField(_("objection deadline"), null=True, blank=True)
    pdf = models.FileField(_("beschikking (PDF/A)"), upload_to="beschikkingen/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    render_fout = models.TextField(_("rendering error"), blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["Pip"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Pip"]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("PIP")
        verbose_name_plural = _("PIPs")
        ordering = ["dossier", "-versie"]
        permissions = [("goedkeuren_pip", _("Can approve a PIP before it is issued"))]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "versie"], name="uniq_pip_versie"),
            # one PIP in progress (not final) per dossier
            models.UniqueConstraint(
                fields=["dossier"],
                condition=~Q(status__in=["vastgesteld", "gewijzigd", "ingetrokken"]),
                name="uniq_pip_in_bewerking_per_dossier",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["concept", "ter_ondertekening", "goedgekeurd", "wordt_vastgesteld"]
                )
                | (Q(pdf_sha256__regex=r"^[0-9a-f]{64}$") & Q(termijn_start__isnull=False)),
                name="chk_pip_beschikking_heeft_pdf_en_termijn",
            ),
        ]

    def __str__(self) -> str:
        return f"PIP v{self.versie} — {self.dossier}"


class RouteWijziging(models.Model):
    """A statutory change of route after vaststelling (switch, or afschalen per exam part)."""

    pip = models.ForeignKey(Pip, on_delete=models.PROTECT, related_name="routewijzigingen")
    soort = models.CharField(_("kind"), max_length=20, choices=RouteWijzigingSoort.choices)
    datum = models.DateField(_("date"))
    nieuwe_route = models.CharField(max_length=20, choices=Leerroute.choices, blank=True)
    examendeel = models.CharField(max_length=20, choices=Examendeel.choices, blank=True)
    lesuren = models.PositiveIntegerField(_("lesson hours"), default=0)
    voldoende_inspanning = models.BooleanField(_("sufficient effort"), default=False)
    motivatie = models.TextField(_("motivation"))
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    objects: ClassVar[models.Manager["RouteWijziging"]] = ScopedManager(
        gemeente="pip__dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager["RouteWijziging"]]
    history = gescoopte_historie(gemeente="pip__dossier__gemeente")

    class Meta:
        verbose_name = _("route change")
        verbose_name_plural = _("route changes")

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {weergave.datum(self.datum)}"
