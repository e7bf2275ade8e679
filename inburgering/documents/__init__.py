"""The decision-document platform: every beschikking (PIP, later handhaving and ontzorgen
letters) is rendered, stored and served the same way.

* ``pdf``       — WeasyPrint to PDF/A-3u behind an allow-list URL fetcher, one font configuration
  per process, ``sha256``.
* ``registry``  — document kinds: a domain app registers how to load, render, store and roll back
  its decision (in its ``AppConfig.ready()``); the platform never imports a domain app.
* ``tasks``     — the one Celery task that renders any kind; a decision is never left waiting for
  its document: any failure rolls it back with the reason.
* ``responses`` — the download response for a stored document (after the caller's access check).
* ``termijnen`` — the Awb objection term on the Algemene termijnenwet calendar.
"""
