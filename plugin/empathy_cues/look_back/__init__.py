"""A look back over past tickets: ``preview`` (what the plugin would have done, changing nothing) and
``backfill`` (tag and note open tickets through the normal queue), read page by page within rate limits
and resumable (``scan.py``), reported as a table, CSV or HTML (``report.py``)."""
