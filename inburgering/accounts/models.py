import uuid
from typing import Any, cast

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inburgering.core import weergave

from .constants import ROL_ORGANISATIE_SOORTEN, OrganisatieSoort, Rol


class Gemeente(models.Model):
    """A municipality: owns cases, signs decisions with its letterhead."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("A CBS code looks like GM0402."))],
    )
    naam = models.CharField(_("name"), max_length=100, unique=True)
    adres = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode_plaats = models.CharField(_("postcode and town"), max_length=100, blank=True)
    telefoon = models.CharField(_("telephone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="gemeenten/logos/", blank=True)
    ondertekenaar_naam = models.CharField(_("signing official"), max_length=100, blank=True)
    ondertekenaar_functie = models.CharField(
        _("signing official's position"), max_length=100, blank=True
    )

    pip_goedkeuring_vereist = models.BooleanField(
        _("PIP needs a teamleider's approval before it is issued"), default=False
    )
    partner_ziet_volledig_bsn = models.BooleanField(
        _("partner organisations see the full BSN"),
        default=False,
        help_text=_(
            "Off: begeleiders and auditors of partner organisations see only the last three "
            "digits of a BSN (data minimisation, AVG art. 5(1)(c))."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Organisatie(models.Model):
    """A municipal team, partner organisation or language provider.

    A municipal team may serve several gemeenten (Huizen, Blaricum, Eemnes and Laren share one);
    a partner organisation lists the gemeenten it works in.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    naam = models.CharField(_("name"), max_length=150, unique=True)
    soort = models.CharField(_("kind"), max_length=30, choices=OrganisatieSoort.choices)
    gemeenten = models.ManyToManyField(
        Gemeente, related_name="organisaties", verbose_name=_("gemeenten served"), blank=True
    )

    history = HistoricalRecords(m2m_fields=[gemeenten])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam

    def clean(self) -> None:
        """The kind decides what members see (a municipal team sees every dossier of its
        gemeenten): it cannot change under members whose role does not belong in the new kind
        (a partner organisation turned "team" would give its begeleiders every dossier)."""
        super().clean()
        if not self.pk:
            return
        rollen = set(
            Group.objects.filter(user__organisatie=self, name__in=Rol.values)
            .values_list("name", flat=True)
            .distinct()
        )
        niet_passend = sorted(r for r in rollen if self.soort not in ROL_ORGANISATIE_SOORTEN[r])
        if niet_passend:
            raise ValidationError(
                {
                    "soort": _(
                        "Members of this organisation hold roles that do not belong in an "
                        "organisation of this kind: %(rollen)s."
                    )
                    % {"rollen": ", ".join(niet_passend)}
                }
            )


class User(AbstractUser):
    """A person who logs in. Their role is a group; what they may see follows from the
    organisation they belong to (see ``inburgering.core.access``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        related_name="medewerkers",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    # The identity provider's ``sub`` for a user who signs in through OpenID Connect: such a
    # user has no password here and cannot be given one (inburgering/accounts/oidc.py).
    oidc_subject = models.CharField(
        _("identity provider subject"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )

    # Role changes (groups, direct permissions) are recorded too: each change of either is a
    # history record with the acting user, next to the field changes.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def rollen(self) -> set[str]:
        """Role names of this user, cached on the instance (one query per request)."""
        cached = getattr(self, "_rollen_cache", None)
        if cached is None:
            cached = {g.name for g in self.groups.all()} & set(Rol.values)
            self._rollen_cache = cached
        return cached

    def heeft_rol(self, *rollen: str) -> bool:
        return bool(self.rollen & set(rollen))

    @property
    def alleen_oidc(self) -> bool:
        """Signs in through the identity provider only: no password here."""
        return bool(self.oidc_subject)

    def save(self, *args: Any, **kwargs: Any) -> None:
        wachtwoord_gewijzigd = self._password is not None and self.pk is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if wachtwoord_gewijzigd:
            from . import meldingen

            meldingen.melden(self, meldingen.Melding.WACHTWOORD)

    def clean(self) -> None:
        super().clean()
        if self.pk and self.organisatie_id:
            for rol in self.rollen:
                if cast(Organisatie, self.organisatie).soort not in ROL_ORGANISATIE_SOORTEN[rol]:
                    raise ValidationError(
                        {
                            "organisatie": _(
                                "The role %(rol)s does not belong in an organisation of kind "
                                "%(soort)s."
                            )
                            % {
                                "rol": weergave.keuze(Rol.choices, rol),
                                "soort": cast(Organisatie, self.organisatie).get_soort_display(),
                            }
                        }
                    )


class Sessie(models.Model):
    """Whose a signed-in session is, when it began and when it was last used (the session
    itself is Django's; ``inburgering/accounts/sessies.py``)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="sessies", verbose_name=_("user")
    )
    sessie_sleutel = models.CharField(max_length=40, unique=True, editable=False)
    aangemeld_op = models.DateTimeField(_("logged in at"))
    laatst_gezien = models.DateTimeField(_("last used"))
    apparaat = models.CharField(_("browser and system"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-laatst_gezien"]
        indexes = [models.Index(fields=["user", "-laatst_gezien"], name="accounts_sessie_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.aangemeld_op:%Y-%m-%d %H:%M}"
