"""The SQL that keeps ``TermijnTeller`` (the teamleider overview's counts) from the clocks.

Statement-level triggers on ``cases_termijn`` (a clock added, changed or removed) and on
``cases_dossier`` (a dossier given another werkcoach or gemeente) add each statement's change
to the counts, from its transition tables, in the same transaction — so every path (a form, the
API, the set-based sweep, a raw UPDATE, an import) keeps them right. Keys are written in one
order (``ORDER BY``) so two statements never wait for each other's rows crosswise; a count that
reaches zero is removed (through the partial index on ``aantal = 0``)."""

_OPTELLEN = """
INSERT INTO cases_termijnteller AS k (gemeente_id, werkcoach_id, code, status, uiterste_datum,
                                      aantal)
SELECT gemeente_id, werkcoach_id, code, status, uiterste_datum, aantal FROM delta
ORDER BY gemeente_id, werkcoach_id, code, status, uiterste_datum
ON CONFLICT ON CONSTRAINT uniq_termijnteller DO UPDATE SET aantal = k.aantal + EXCLUDED.aantal;
DELETE FROM cases_termijnteller WHERE aantal = 0;
RETURN NULL;
"""

# ``{wijziging}``: rows (dossier_id, code, status, uiterste_datum, teken) from the transition
# tables, +1 for a row as it is now, -1 for a row as it was
TELLER_KLOKKEN_SQL = (
    """
WITH delta AS (
    SELECT d.gemeente_id, d.werkcoach_id, t.code, t.status,
           CASE WHEN t.status = 'open' THEN t.uiterste_datum END AS uiterste_datum,
           sum(t.teken)::integer AS aantal
    FROM ({wijziging}) AS t JOIN cases_dossier d ON d.id = t.dossier_id
    WHERE t.status IN ('open', 'verlopen')
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(t.teken) <> 0
)
"""  # noqa: S608 — constants only, no input
    + _OPTELLEN
)

KLOK_NIEUW = "SELECT dossier_id, code, status, uiterste_datum, 1 AS teken FROM nieuw"
KLOK_OUD = "SELECT dossier_id, code, status, uiterste_datum, -1 AS teken FROM oud"

# a dossier that changed werkcoach or gemeente takes its clocks' counts along
TELLER_DOSSIER_SQL = (
    """
WITH veranderd AS (
    SELECT n.id, o.gemeente_id AS oude_gemeente, o.werkcoach_id AS oude_werkcoach,
           n.gemeente_id, n.werkcoach_id
    FROM oud o JOIN nieuw n ON n.id = o.id
    WHERE (o.gemeente_id, o.werkcoach_id) IS DISTINCT FROM (n.gemeente_id, n.werkcoach_id)
), kant AS (
    SELECT id, oude_gemeente AS gemeente_id, oude_werkcoach AS werkcoach_id, -1 AS teken
    FROM veranderd
    UNION ALL
    SELECT id, gemeente_id, werkcoach_id, 1 FROM veranderd
), delta AS (
    SELECT g.gemeente_id, g.werkcoach_id, t.code, t.status,
           CASE WHEN t.status = 'open' THEN t.uiterste_datum END AS uiterste_datum,
           sum(g.teken)::integer AS aantal
    FROM kant g JOIN cases_termijn t ON t.dossier_id = g.id
    WHERE t.status IN ('open', 'verlopen')
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(g.teken) <> 0
)
"""  # noqa: S608 — constants only, no input
    + _OPTELLEN
)

# the counts from scratch (the migration's backfill, and the check in the tests)
TELLER_OPNIEUW_SQL = """
INSERT INTO cases_termijnteller (gemeente_id, werkcoach_id, code, status, uiterste_datum, aantal)
SELECT d.gemeente_id, d.werkcoach_id, t.code, t.status,
       CASE WHEN t.status = 'open' THEN t.uiterste_datum END, count(*)
FROM cases_termijn t JOIN cases_dossier d ON d.id = t.dossier_id
WHERE t.status IN ('open', 'verlopen')
GROUP BY 1, 2, 3, 4, 5
"""
