"""The yardstick for webhook_load.py: a Flask app that reads the body and answers 202, nothing else.

Served by gunicorn with the very settings of the real receiver (empathy_cues.service.gunicorn_conf).
"""
from flask import Flask

app = Flask("bare")


@app.post("/webhooks/<helpdesk>")
def receive(helpdesk: str):
    from flask import request

    request.get_data(cache=False)
    return "", 202


@app.get("/healthz")
def healthz():
    return "ok"
