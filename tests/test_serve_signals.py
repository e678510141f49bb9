"""`serve` stopped in its first moments: exits 0 and leaves nothing holding the port."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

# Real `serve` processes: the outer loop.
pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).with_name("empathy-cues"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_sigterm_while_serve_starts_exits_0_and_frees_the_port(tmp_path):
    for attempt in range(3):                 # each time at the same point: right after the start line
        port = free_port()
        proc = subprocess.Popen([EXE, "serve", "--host", "127.0.0.1", "--port", str(port), "--web-workers", "1"],
                                env={**os.environ, "EMPATHY_DATA_DIR": str(tmp_path / f"d{attempt}")},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        first = proc.stderr.readline().decode()
        assert first.startswith("empathy-cues serving on"), first
        os.killpg(proc.pid, signal.SIGTERM)             # what systemd and Ctrl-C do: the whole group
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert not group_alive(proc.pid)                 # gunicorn and its workers went with it
        with socket.socket() as s:                       # and nothing holds the port
            s.bind(("127.0.0.1", port))
