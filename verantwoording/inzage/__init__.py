"""The answer to an inzageverzoek (AVG art. 15): the privacy officer registers the request for a
person, a Celery task makes the export with the bundle's machinery (``verantwoording.bundel``):
what the system holds on the person (every dossier the officer may see, its hub parts and
history) and who processed or received their data (the log: ``inburgering.audit``), and the
officer records to whom and when it was delivered."""

ACTIVITEIT = "verantwoording.inzageverzoek"
ACTIE_REGISTREREN = "inzageverzoek.registreren"
ACTIE_DOWNLOADEN = "inzageverzoek.downloaden"
ACTIE_VERSTREKKEN = "inzageverzoek.verstrekken"
