"""``audit_toevoegen`` with each processing record's JSON parsed once.

In 0002 the rows were read by ``->>`` from ``regel::jsonb`` in a subquery, which PostgreSQL
flattens: the text was parsed once per column (eleven times a row), most of the function's
time. ``jsonb_to_record`` parses it once and yields every column; the values, and so the
columns and the hashed text, are the same. Everything else is 0002's function unchanged."""

import importlib

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
        SELECT eerste + t.n - 1, j.trace_id, j.span_id, j.ouder_span_id, j.tijdstip,
               j.activiteit, j.kanaal, j.handeling, j.betrokkene, j.betrokkene_soort,
               j.resultaat, t.regel, t.vorige_hash, t.hash
        FROM unnest(verwerkingen, vorigen, hashes) WITH ORDINALITY
            AS t(regel, vorige_hash, hash, n)
        CROSS JOIN LATERAL jsonb_to_record(t.regel::jsonb) AS j(
            trace_id text, span_id text, ouder_span_id text, tijdstip timestamptz,
            activiteit text, kanaal text, handeling text, betrokkene text,
            betrokkene_soort text, resultaat text
        )
        ORDER BY t.n;
    END IF;
END;
$$;
"""


def _vorige() -> str:
    return importlib.import_module("inburgering.audit.migrations.0002_audit_toevoegen").FUNCTIE


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_toevoegen")]

    operations = [migrations.RunSQL(FUNCTIE, _vorige())]
