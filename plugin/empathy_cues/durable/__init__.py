"""Storing events durably: the state backends (seen keys, pending events, done keys, dead letters) in
SQLite or Redis, chosen in one place (``state.open_store``), the queue the worker reads, the group
commit that acknowledges webhooks only once they are stored, and the writer lock that orders SQLite's
writers across processes."""
