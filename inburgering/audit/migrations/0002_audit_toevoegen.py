"""The one way rows enter the two log chains: ``audit_toevoegen(auditrecord, verwerkingen)``.

It takes the chains' advisory lock (held to the end of the transaction; the log is written in
autocommit, so that is one statement), reads each chain's last row, and inserts the new rows
with the next ``volgnummer`` and ``hash = sha256(vorige_hash || E'\\n' || volgnummer || E'\\n' ||
inhoud)``. Every column is read from ``inhoud`` (canonical JSON), so the columns and the hashed
text cannot disagree at insert; the verifier (``inburgering/audit/keten.py``) recomputes it all in
Python."""

from django.db import migrations

FUNCTIE = r"""
CREATE OR REPLACE FUNCTION audit_toevoegen(auditrecord text, verwerkingen text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    vorige text;
    nummer bigint;
    regel text;
    j jsonb;
BEGIN
    PERFORM pg_advisory_xact_lock(731942001);
    IF auditrecord IS NOT NULL THEN
        SELECT hash, volgnummer INTO vorige, nummer
            FROM audit_auditrecord ORDER BY volgnummer DESC LIMIT 1;
        vorige := coalesce(vorige, repeat('0', 64));
        nummer := coalesce(nummer, 0) + 1;
        j := auditrecord::jsonb;
        INSERT INTO audit_auditrecord (
            volgnummer, trace_id, span_id, ouder_span_id, tijdstip, activiteit, kanaal,
            actor_id, actor, organisatie_id, rollen, methode, pad, status, gebeurtenis,
            inhoud, vorige_hash, hash
        ) VALUES (
            nummer, j->>'trace_id', j->>'span_id', j->>'ouder_span_id',
            (j->>'tijdstip')::timestamptz, j->>'activiteit', j->>'kanaal',
            (j->>'actor_id')::bigint, j->>'actor', (j->>'organisatie_id')::bigint,
            j->>'rollen', j->>'methode', j->>'pad', (j->>'status')::integer, j->>'gebeurtenis',
            auditrecord, vorige,
            encode(sha256(convert_to(vorige || E'\n' || nummer::text || E'\n' || auditrecord,
                                     'UTF8')), 'hex')
        );
    END IF;
    IF verwerkingen IS NOT NULL AND cardinality(verwerkingen) > 0 THEN
        SELECT hash, volgnummer INTO vorige, nummer
            FROM audit_verwerking ORDER BY volgnummer DESC LIMIT 1;
        vorige := coalesce(vorige, repeat('0', 64));
        nummer := coalesce(nummer, 0);
        FOREACH regel IN ARRAY verwerkingen LOOP
            nummer := nummer + 1;
            j := regel::jsonb;
            INSERT INTO audit_verwerking (
                volgnummer, trace_id, span_id, ouder_span_id, tijdstip, activiteit, kanaal,
                handeling, betrokkene, betrokkene_soort, resultaat, inhoud, vorige_hash, hash
            ) VALUES (
                nummer, j->>'trace_id', j->>'span_id', j->>'ouder_span_id',
                (j->>'tijdstip')::timestamptz, j->>'activiteit', j->>'kanaal',
                j->>'handeling', j->>'betrokkene', j->>'betrokkene_soort', j->>'resultaat',
                regel, vorige,
                encode(sha256(convert_to(vorige || E'\n' || nummer::text || E'\n' || regel,
                                         'UTF8')), 'hex')
            )
            RETURNING hash INTO vorige;
        END LOOP;
    END IF;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTIE, "DROP FUNCTION IF EXISTS audit_toevoegen(text, text[]);"),
    ]
