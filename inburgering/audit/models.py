"""The log's tables. ``Verwerking`` is the Logboek Dataverwerkingen record: one per data subject
and action, naming the processing activity, the subject as a keyed pseudonym, the action, the
time, the result and the trace — and not who did it. ``AuditRecord`` says who did it: one per
span (a request, a task, an export), linked by ``trace_id``/``span_id``.

Both are append-only (a PostgreSQL trigger refuses UPDATE and DELETE, ``pgtrigger.Protect``) and
hash-chained: each row's ``hash`` is SHA-256 over the previous row's hash, its own ``volgnummer``
and ``inhoud`` (the canonical JSON the columns were filled from). Rows are only ever written by
the database function ``audit_toevoegen`` (migration 0002), which takes the chain's lock, so
concurrent requests cannot fork a chain. ``Ketencontrole`` records each verification; a failed
one is an incident for the functioneel beheerder."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Handeling(models.TextChoices):
    RAADPLEGEN = "raadplegen", _("read")
    AANMAKEN = "aanmaken", _("created")
    WIJZIGEN = "wijzigen", _("changed")
    VERWIJDEREN = "verwijderen", _("deleted")
    EXPORTEREN = "exporteren", _("exported")
    VERNIETIGEN = "vernietigen", _("destroyed")


class Kanaal(models.TextChoices):
    PAGINA = "pagina", _("page")
    API = "api", _("API")
    DOCUMENT = "document", _("document")
    EXPORT = "export", _("export")
    TAAK = "taak", _("background task")


class Resultaat(models.TextChoices):
    GESLAAGD = "geslaagd", _("succeeded")
    GEWEIGERD = "geweigerd", _("refused")
    FOUT = "fout", _("failed")


APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


class Geketend(models.Model):
    volgnummer = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    trace_id = models.CharField(_("trace id"), max_length=32, editable=False)
    span_id = models.CharField(_("span id"), max_length=16, editable=False)
    ouder_span_id = models.CharField(_("parent span id"), max_length=16, blank=True)
    tijdstip = models.DateTimeField(_("time"), editable=False)
    activiteit = models.CharField(_("processing activity"), max_length=80, editable=False)
    kanaal = models.CharField(_("channel"), max_length=20, choices=Kanaal.choices)
    inhoud = models.TextField(_("content"), editable=False)
    vorige_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        abstract = True


class Verwerking(Geketend):
    """One processing of one person's data (LDV: a span with ``dpl.core.data_subject_id``)."""

    handeling = models.CharField(_("action"), max_length=20, choices=Handeling.choices)
    betrokkene = models.CharField(_("data subject (pseudonym)"), max_length=64)
    betrokkene_soort = models.CharField(_("kind of identifier"), max_length=10, default="BSN")
    resultaat = models.CharField(_("result"), max_length=20, choices=Resultaat.choices)

    class Meta:
        verbose_name = _("processing record")
        verbose_name_plural = _("processing records")
        indexes = [
            models.Index(fields=["betrokkene", "-tijdstip"], name="audit_verw_betrokkene"),
            models.Index(fields=["span_id"], name="audit_verw_span"),
        ]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.volgnummer} {self.handeling} {self.betrokkene[:12]}…"


class AuditRecord(Geketend):
    """Who did the work of one span: the actor (``None`` for the system), their organisation and
    roles, the request (method and path, never the query string: a search term may be a BSN)."""

    actor_id = models.BigIntegerField(_("actor id"), null=True, editable=False)
    actor = models.CharField(_("actor"), max_length=150, editable=False)
    organisatie_id = models.BigIntegerField(_("organisation id"), null=True, editable=False)
    rollen = models.CharField(_("roles"), max_length=200, blank=True, editable=False)
    methode = models.CharField(_("method"), max_length=10, blank=True, editable=False)
    pad = models.CharField(_("path"), max_length=500, blank=True, editable=False)
    status = models.PositiveIntegerField(_("status"), null=True, editable=False)
    gebeurtenis = models.CharField(_("event"), max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["span_id"], name="audit_record_span"),
            models.Index(fields=["trace_id"], name="audit_record_trace"),
        ]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.volgnummer} {self.actor or '-'} {self.activiteit}"


class Ketencontrole(models.Model):
    """One verification of a log table's chain. ``tot_volgnummer``/``laatste_hash`` anchor the
    next check: if that row is later removed or changed, the tail was cut. A failed check is an
    incident until the functioneel beheerder records how it was handled."""

    tabel = models.CharField(_("table"), max_length=40)
    tijdstip = models.DateTimeField(_("time"), auto_now_add=True)
    gecontroleerd = models.PositiveBigIntegerField(_("rows checked"), default=0)
    tot_volgnummer = models.BigIntegerField(_("up to sequence number"), default=0)
    laatste_hash = models.CharField(_("last hash"), max_length=64, blank=True)
    in_orde = models.BooleanField(_("chain intact"))
    breuk_volgnummer = models.BigIntegerField(_("first break at"), null=True, blank=True)
    melding = models.TextField(_("finding"), blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    afgehandeld_op = models.DateTimeField(_("handled at"), null=True, blank=True)
    toelichting = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")
        ordering = ["-tijdstip", "-pk"]
        permissions = [("incident_afhandelen", "Handle a broken log chain")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(in_orde=True) | ~models.Q(melding=""),
                name="audit_controle_breuk_heeft_melding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tabel} {self.tijdstip:%Y-%m-%d %H:%M} {'ok' if self.in_orde else 'breuk'}"

    @property
    def tabel_label(self) -> str:
        return str(
            {"verwerking": _("processing records"), "auditrecord": _("audit records")}.get(
                self.tabel, self.tabel
            )
        )

    @property
    def is_open_incident(self) -> bool:
        return not self.in_orde and self.afgehandeld_op is None
