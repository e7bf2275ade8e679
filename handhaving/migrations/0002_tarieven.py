"""The fine amounts in force when the Wet inburgering 2021 took effect (DOMAIN.md §8, HBEL's
table): €250 for the brede intake, €800 for the PIP — the statutory maxima, fixed amounts the
gemeente may only lower on the grounds of Awb 5:46. Later indexation is a new row with its own
geldig_vanaf (admin: "Fine amounts"), never a code change."""

from datetime import date
from decimal import Decimal

from django.db import migrations

GRONDSLAG = {
    "intake": (
        "Wet inburgering 2021 en Besluit inburgering 2021: bestuurlijke boete door het college "
        "voor het niet verschijnen voor of niet meewerken aan de brede intake"
    ),
    "pip": (
        "Wet inburgering 2021 en Besluit inburgering 2021: bestuurlijke boete door het college "
        "voor het niet nakomen van het persoonlijk plan inburgering en participatie"
    ),
}
BEDRAG = {"intake": Decimal("250.00"), "pip": Decimal("800.00")}


def tarieven(apps, schema_editor):
    Boetetarief = apps.get_model("handhaving", "Boetetarief")
    for categorie, maximum in BEDRAG.items():
        Boetetarief.objects.get_or_create(
            categorie=categorie,
            geldig_vanaf=date(2022, 1, 1),
            defaults={"maximum": maximum, "grondslag": GRONDSLAG[categorie]},
        )


class Migration(migrations.Migration):
    dependencies = [("handhaving", "0001_procedure")]

    operations = [migrations.RunPython(tarieven, migrations.RunPython.noop)]
