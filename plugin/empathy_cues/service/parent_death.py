"""A child process of the service is killed when its parent dies, however the parent dies (SIGKILL,
OOM): an orphaned gunicorn would hold the listening port until it noticed. Used by `serve` for its
gunicorn arbiter and by gunicorn_conf.py for each web worker."""
from __future__ import annotations

import signal


def die_with_parent() -> None:
    """In the child: be killed when the parent dies (Linux only; elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # 1 = PR_SET_PDEATHSIG
    except Exception:
        pass
