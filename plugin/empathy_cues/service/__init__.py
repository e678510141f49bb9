"""The running service: the Flask app (``app.py``) and its views (``web/``), with the webhooks answered in
front of it (``web/webhooks.py``) by the intake that verifies and stores each delivery before the 202
(``intake.py``), the refusal log behind /readyz (``refusals.py``), the production gunicorn settings
(``gunicorn_conf.py``), and the settings read from the environment at start-up (``settings.py``), which
the ``serve`` and ``worker`` commands share.
"""
