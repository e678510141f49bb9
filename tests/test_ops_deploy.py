"""deploy/ checked statically (no Docker engine here): the compose file parses and wires the scale-out
mode, the Dockerfile builds a small non-root image with a health check, the systemd units stop
gracefully, and the gunicorn settings are ones gunicorn knows. Plus a real graceful stop of a worker."""
from __future__ import annotations

import configparser
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _linter(name: str) -> str:
    """A linter installed by the test extra, in this interpreter's bin directory (or on PATH)."""
    import shutil
    import sys

    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is missing: install the test extra (pip install '.[test]')"
    return found


def test_dockerfile_and_entrypoint_pass_hadolint_and_shellcheck():
    # The image cannot be built here (no Docker engine); the vendors' linters are the next best check.
    lint = subprocess.run([_linter("hadolint"), "--no-color", str(DEPLOY / "Dockerfile")],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    check = subprocess.run([_linter("shellcheck"), str(DEPLOY / "docker-entrypoint.sh")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_dockerfile_is_multi_stage_slim_non_root_with_healthcheck():
    ins = dockerfile_instructions()
    froms = [args for word, args in ins if word == "FROM"]
    assert len(froms) == 2 and all("slim" in f for f in froms), froms
    final = ins[max(i for i, (w, _) in enumerate(ins) if w == "FROM"):]
    users = [args for word, args in final if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert [w for w, _ in final].index("USER") < [w for w, _ in final].index("CMD")
    health = [args for word, args in final if word == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0] and "CMD" in health[0]
    assert ("STOPSIGNAL", "SIGTERM") in final
    assert any(w == "COPY" and "--from=build" in a for w, a in final)     # only the built venv travels
    assert not any(w in ("ENV", "ARG") and re.search(r"(TOKEN|SECRET|API_KEY)=", a) for w, a in ins)
    entry = (DEPLOY / "docker-entrypoint.sh").read_text()
    assert "exec gunicorn" in entry and "exec empathy-cues worker" in entry
    assert os.access(DEPLOY / "docker-entrypoint.sh", os.X_OK)
    assert subprocess.run(["sh", "-n", str(DEPLOY / "docker-entrypoint.sh")]).returncode == 0


def test_compose_runs_redis_stateless_web_and_three_workers():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"redis", "web", "worker", "caddy", "admin"}
    assert "--appendonly" in services["redis"]["command"] and services["redis"]["healthcheck"]
    for name in ("web", "worker"):
        svc = services[name]
        assert svc["environment"]["EMPATHY_QUEUE_URL"].startswith("redis://redis:")
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy"
        assert svc["stop_signal"] == "SIGTERM" and svc["stop_grace_period"] == "30s"
        assert svc["build"]["dockerfile"] == "deploy/Dockerfile"
        # No state of their own: only the install's secret file, read-only.
        assert svc["volumes"] == ["empathy-data:/var/lib/empathy-cues:ro"]
    assert services["web"]["command"] == ["web"] and services["worker"]["command"] == ["worker"]
    assert services["worker"]["deploy"]["replicas"] == 3
    assert services["worker"]["environment"]["EMPATHY_METRICS_PORT"] == "9100"


def test_systemd_units_run_as_a_user_and_stop_with_sigterm():
    for name in ("empathy-cues-web.service", "empathy-cues-worker.service"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str
        unit.read_string(re.sub(r"\\\n\s*", " ", (DEPLOY / "systemd" / name).read_text()))
        service = unit["Service"]
        assert service["User"] == "empathy" and service["KillSignal"] == "SIGTERM"
        assert service["Restart"] == "always" and int(service["TimeoutStopSec"]) >= 30
        assert service["EnvironmentFile"] == "/etc/empathy-cues/env"
        assert shlex.split(service["ExecStart"])[0].startswith("/opt/empathy-cues/venv/bin/")
        assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_gunicorn_settings_are_known_to_gunicorn_and_graceful():
    from gunicorn.config import Config

    import empathy_cues.service.gunicorn_conf as conf

    config = Config()
    names = [n for n in vars(conf) if not n.startswith("_") and n not in ("child_exit",)
             and not callable(getattr(conf, n))]
    for name in names:
        assert name in config.settings, f"gunicorn has no setting {name!r}"
        config.set(name, getattr(conf, name))
    assert config.worker_class_str == "gevent" and config.graceful_timeout >= 10
    assert "empathy_cues.service.gunicorn_conf" in (DEPLOY / "gunicorn.conf.py").read_text()


def test_operations_guide_covers_the_tasks():
    guide = (DEPLOY / "OPERATIONS.md").read_text().lower()
    for topic in ("start", "stop", "upgrade", "back up", "rotate", "metrics", "dead letters"):
        assert topic in guide, topic


@pytest.mark.slow  # a real worker process and a SIGTERM
def test_worker_finishes_the_task_in_flight_on_sigterm(tmp_path):
    """huey's graceful signal (SIGTERM, as configured): the note being written when the stop comes is
    written, and the worker exits 0."""
    from tests.ops_harness import Cluster, FlakyZendesk, bodies_for, seed_tickets, send

    with FlakyZendesk() as zendesk:
        plan = seed_tickets(zendesk, 30_000, 1)
        zendesk.slow_next(1, seconds=2.0, method="PUT", path=f"/api/v2/tickets/{plan[0][0]}")
        cluster = Cluster(tmp_path, zendesk, env_extra={"EMPATHY_HELPDESK_TIMEOUT": "5"}).start()
        try:
            send(cluster.url, bodies_for(plan), deadline=time.monotonic() + 20)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not zendesk.calls_to("PUT", f"/api/v2/tickets/{plan[0][0]}"):
                time.sleep(0.05)
            worker = cluster.worker_procs[0]
            os.killpg(worker.pid, signal.SIGTERM)        # the note's PUT is in flight for 2 s more
            assert worker.wait(timeout=30) == 0
        finally:
            cluster.stop()
        assert len(zendesk.notes(plan[0][0])) == 1
