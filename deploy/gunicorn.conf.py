# gunicorn settings for the webhook receiver in production: the package's own settings module, so the
# container, the systemd unit and `empathy-cues serve` run the receiver the same way.
#
#     gunicorn --config deploy/gunicorn.conf.py --bind 0.0.0.0:8080 'empathy_cues.service.app:from_env()'
#
# Graceful shutdown: SIGTERM -> stop accepting, finish requests in flight (graceful_timeout = 20 s),
# exit. SIGHUP reloads the configuration and replaces the workers one by one; SIGKILL is what a crash
# looks like and is survivable too (every acknowledged webhook is already stored).
# https://docs.gunicorn.org/en/stable/signals.html
from empathy_cues.service.gunicorn_conf import *  # noqa: F401,F403
