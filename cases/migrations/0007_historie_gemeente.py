"""Each change to a person records the gemeente it was made for, so that a relocated person's
history in one gemeente shows no edits made in the other's dossier. Existing records get the
gemeente of the person's dossier at the time of the change (their first dossier for a change
made before any dossier existed, such as the registration itself)."""

import django.db.models.deletion
from django.db import migrations, models


def vullen(apps, schema_editor):
    historie = apps.get_model("cases", "HistoricalInburgeraar")._meta.db_table
    dossier = apps.get_model("cases", "Dossier")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {historie} h SET historie_gemeente_id = COALESCE(
                (SELECT d.gemeente_id FROM {dossier} d
                  WHERE d.inburgeraar_id = h.id AND d.aangemaakt_op <= h.history_date
                  ORDER BY d.aangemaakt_op DESC, d.id DESC LIMIT 1),
                (SELECT d.gemeente_id FROM {dossier} d
                  WHERE d.inburgeraar_id = h.id ORDER BY d.aangemaakt_op, d.id LIMIT 1))
            WHERE h.historie_gemeente_id IS NULL
            """  # noqa: S608 (table names from the model state)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_partner_bsn_and_role_history'),
        ('cases', '0006_gebeurtenis_soort_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalinburgeraar',
            name='historie_gemeente',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.gemeente', verbose_name='changed for gemeente'),
        ),
        migrations.RunPython(vullen, migrations.RunPython.noop),
    ]
