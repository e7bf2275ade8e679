"""A dossier's evidence bundle (issue 13): one ZIP with the PDF/A report (``inhoud``), every
issued beschikking as stored, the history as JSON and CSV and a manifest with every file's
SHA-256 (``pakket``), made by a Celery task (``tasks``) whose progress the status page shows
(``views``). Who may make and download one: ``verantwoording.policy``."""

ACTIVITEIT = "verantwoording.bewijsbundel"
ACTIE_MAKEN = "bewijsbundel.maken"
ACTIE_DOWNLOADEN = "bewijsbundel.downloaden"
