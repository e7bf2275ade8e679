"""Timeline event kinds become registered codes (cases/tijdlijn.py) with their parameters.

Existing rows get the code of what they record; their stored sentence (``omschrijving``) stays
and is what they keep showing, since they carry no parameters to render from. A row the intake
or PIP services wrote is recognised by its parameters; the rest stay "details changed".
"""

from django.db import migrations, models

# (old kind, JSON key the row must have or None, new code), most specific first
NAAR_CODES = [
    ("aangemaakt", None, "dossier.aangemaakt"),
    ("toegewezen", None, "dossier.toegewezen"),
    ("fase", None, "dossier.fase"),
    ("notitie", None, "dossier.notitie"),
    ("verhuisd", None, "dossier.verhuisd"),
    ("termijn", "tot", "termijn.verlengd"),
    ("termijn", "gehaald_op", "termijn.gehaald"),
    ("termijn", None, "termijn.verlopen"),
    ("gewijzigd", "intake_gesprek", "intake.gesprek"),
    ("gewijzigd", "terugsturen", "pip.teruggestuurd"),
    ("gewijzigd", None, "dossier.gewijzigd"),
]


def naar_codes(apps, schema_editor):
    Gebeurtenis = apps.get_model("cases", "Gebeurtenis")
    rows = Gebeurtenis._base_manager
    # a conversation the person did not attend
    rows.filter(soort="gewijzigd", gegevens__verschenen=False).update(
        soort="intake.gesprek_niet_verschenen"
    )
    for oud, sleutel, code in NAAR_CODES:
        qs = rows.filter(soort=oud)
        if sleutel:
            qs = qs.filter(gegevens__has_key=sleutel)
        qs.update(soort=code)


def naar_oude_soorten(apps, schema_editor):
    from django.conf import settings
    from django.utils import translation

    from cases import tijdlijn

    Gebeurtenis = apps.get_model("cases", "Gebeurtenis")
    rows = Gebeurtenis._base_manager
    # the old schema has no parameters to render from: freeze the sentence in the site language
    with translation.override(settings.LANGUAGE_CODE):
        for g in rows.filter(omschrijving="").iterator():
            try:
                g.omschrijving = tijdlijn.weergeven(g.soort, g.gegevens, "")
            except (LookupError, KeyError, ValueError):
                g.omschrijving = g.soort
            g.save(update_fields=["omschrijving"])
    for oud in ("aangemaakt", "toegewezen", "fase", "notitie", "verhuisd", "gewijzigd"):
        rows.filter(soort=f"dossier.{oud}").update(soort=oud)
    rows.filter(soort="dossier.toewijzing_beeindigd").update(soort="toegewezen")
    rows.filter(soort__startswith="termijn.").update(soort="termijn")
    oude = ["aangemaakt", "toegewezen", "fase", "notitie", "verhuisd", "gewijzigd", "termijn"]
    rows.exclude(soort__in=oude).update(soort="gewijzigd")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_inburgeraar_bsn_ascii"),
    ]

    operations = [
        migrations.AlterField(
            model_name="gebeurtenis",
            name="omschrijving",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="gebeurtenis",
            name="soort",
            field=models.CharField(max_length=50, verbose_name="kind"),
        ),
        migrations.RunPython(naar_codes, naar_oude_soorten),
    ]
