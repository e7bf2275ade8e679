"""The one way rows enter the two log chains: ``audit_toevoegen(auditrecord, verwerkingen)``.

It takes the chains' advisory lock (held to the end of the transaction; the log is written in
autocommit, so that is one statement), reads each chain's last row, and inserts the new rows
with the next ``volgnummer`` and ``hash = sha256(vorige_hash || E'\\n' || volgnummer || E'\\n' ||
inhoud)``. Every column is read from ``inhoud`` (canonical JSON), so the columns and the hashed
text cannot disagree at insert; the verifier (``inburgering/audit/keten.py``) recomputes it all in
Python. The processing records are appended set-based: the chain's hashes in one loop (each
needs the previous), the rows by one ``INSERT … SELECT`` over the arrays."""

from django.db import migrations

FUNCTIE = r"""
CREATE OR REPLACE FUNCTION audit_toevoegen(auditrecord text, verwerkingen text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    vorige text;
    nummer bigint;
    eerste bigint;
    j jsonb;
    vorigen text[];
    hashes text[];
    i integer;
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
        eerste := coalesce(nummer, 0) + 1;
        vorigen := array_fill(NULL::text, ARRAY[cardinality(verwerkingen)]);
        hashes := vorigen;
        FOR i IN 1 .. cardinality(verwerkingen) LOOP
            vorigen[i] := vorige;
            vorige := encode(sha256(convert_to(
                vorige || E'\n' || (eerste + i - 1)::text || E'\n' || verwerkingen[i], 'UTF8'
            )), 'hex');
            hashes[i] := vorige;
        END LOOP;
        INSERT INTO audit_verwerking (
            volgnummer, trace_id, span_id, ouder_span_id, tijdstip, activiteit, kanaal,
            handeling, betrokkene, betrokkene_soort, resultaat, inhoud, vorige_hash, hash
        )
        SELECT eerste + r.n - 1, r.j->>'trace_id', r.j->>'span_id', r.j->>'ouder_span_id',
               (r.j->>'tijdstip')::timestamptz, r.j->>'activiteit', r.j->>'kanaal',
               r.j->>'handeling', r.j->>'betrokkene', r.j->>'betrokkene_soort',
               r.j->>'resultaat', r.regel, r.vorige_hash, r.hash
        FROM (
            SELECT t.n, t.regel, t.regel::jsonb AS j, t.vorige_hash, t.hash
            FROM unnest(verwerkingen, vorigen, hashes) WITH ORDINALITY
                AS t(regel, vorige_hash, hash, n)
        ) r
        ORDER BY r.n;
    END IF;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTIE, "DROP FUNCTION IF EXISTS audit_toevoegen(text, text[]);"),
    ]
