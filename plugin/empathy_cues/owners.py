"""Who holds an event's lease, and whether that process is gone.

A worker takes a lease on an event for one attempt (store.begin_attempt); the lease names its owner,
``host:pid:start``, where ``start`` is the process's start time in clock ticks since boot
(``/proc/<pid>/stat`` field 22, proc(5)), so a recycled pid is not mistaken for the old process. A
worker that finds a lease whose owner is gone takes the event back at once instead of waiting for the
sweeper's grace (``EMPATHY_SWEEP_GRACE_SECONDS``, 5 minutes): a worker killed mid-task costs seconds.
In the embedded (SQLite) mode, one host, the process table answers at once; in the Redis mode each worker
keeps a heartbeat key alive (store.RedisStore.heartbeat, refreshed every few seconds, expiring 30 s after
its worker stops) and a lease whose owner's heartbeat expired is taken back: containers may share host
names and pids, so a process table cannot speak for another host.
"""
from __future__ import annotations

import os
import socket

HEARTBEAT_SECONDS = 30.0         # a worker's heartbeat key outlives it by at most this long
RECLAIM_EVERY_SECONDS = 5.0      # how often a worker looks for leases of dead owners (and beats)


def _start_ticks(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def this_process() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or '-'}"


def gone_here(owner: str) -> bool:
    """True when ``owner`` was a process on this host that no longer runs. Owners on other hosts, and
    owners we cannot read, are not judged here (False)."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname():
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    if parts[2] != "-":
        current = _start_ticks(pid)
        if current is not None or os.path.isdir("/proc"):
            return current != parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
