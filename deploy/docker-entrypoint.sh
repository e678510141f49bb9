#!/bin/sh
# Start one role of empathy-cues in a container: "web" (gunicorn) or "worker" (huey consumer), or any
# other command as given. exec, so the process gets SIGTERM from `docker stop` directly (graceful).
set -eu
# prometheus-client multiprocess mode: an empty directory per container start (its docs require it).
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  rm -rf "${PROMETHEUS_MULTIPROC_DIR:?}"/* 2>/dev/null || true
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
case "${1:-web}" in
  web)
    exec gunicorn --config python:empathy_cues.service.gunicorn_conf --bind "0.0.0.0:${PORT:-8080}" \
         --workers "${WEB_WORKERS:-2}" 'empathy_cues.service.app:from_env()' ;;
  worker)
    exec empathy-cues worker ;;
  *)
    exec "$@" ;;
esac
