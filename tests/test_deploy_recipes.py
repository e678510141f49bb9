"""The deploy recipes, checked as far as this machine allows: the systemd units with
`systemd-analyze verify`, the Caddy reverse proxy with `caddy validate` and through a real Caddy in
front of a real `empathy-cues serve`, the compose file's wiring (with `docker compose config` when the
compose client exists), and the guide's commands against the files they name."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
VENV = Path(sys.executable).parent.parent


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed")
    # verify checks that ExecStart's program exists: point the units at this venv instead of /opt.
    for unit in (DEPLOY / "systemd").glob("*.service"):
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/empathy-cues/venv", str(VENV)))
    done = subprocess.run([tool, "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def test_admin_unit_runs_the_command_with_admin_credentials_the_server_units_never_read():
    admin = (DEPLOY / "systemd" / "empathy-cues-admin@.service").read_text()
    assert "EnvironmentFile=/etc/empathy-cues/admin.env" in admin and "Type=oneshot" in admin
    assert "ExecStart=/opt/empathy-cues/venv/bin/empathy-cues %i ${EMPATHY_HELPDESK}" in admin
    for name in ("empathy-cues-web.service", "empathy-cues-worker.service"):
        unit = (DEPLOY / "systemd" / name).read_text()
        assert "admin.env" not in unit and "Environment=EMPATHY_DATA_DIR=/var/lib/empathy-cues" in unit
    server_env = (DEPLOY / "empathy-cues.env.example").read_text()
    assert re.search(r"^EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE=/var/lib/empathy-cues/zendesk-webhook-secret$",
                     server_env, re.M)
    assert not re.search(r"^EMPATHY_ZENDESK_WEBHOOK_SECRET=", server_env, re.M)


def test_caddyfile_passes_caddy_validate():
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (apt-get install caddy)")
    done = subprocess.run([caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                          env={**os.environ, "EMPATHY_PUBLIC_HOST": "plugin.example.com"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Valid configuration" in done.stdout + done.stderr, done.stderr
    fmt = subprocess.run([caddy, "fmt", str(DEPLOY / "Caddyfile")], capture_output=True, text=True, timeout=60)
    assert fmt.stdout == (DEPLOY / "Caddyfile").read_text()          # formatted as caddy writes it


@pytest.mark.slow  # a real Caddy in front of a real `serve`
def test_caddy_proxies_webhooks_over_tls_and_keeps_metrics_private(tmp_path):
    """A real Caddy (its internal CA for an IP address) in front of a real `serve`."""
    import requests

    from .test_e2e import Server, free_port, wait_for

    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (apt-get install caddy)")
    server = Server({"EMPATHY_DATA_DIR": str(tmp_path / "data")}, tmp_path / "serve.log").start()
    tls_port, admin_port = free_port(), free_port()
    config = tmp_path / "Caddyfile"
    # The shipped file, with a global block that keeps this test's Caddy to loopback ports of its own.
    config.write_text("{\n\tadmin 127.0.0.1:%d\n\thttp_port %d\n\tstorage file_system %s\n\tskip_install_trust\n}\n"
                      % (admin_port, free_port(), tmp_path / "caddy-data") + (DEPLOY / "Caddyfile").read_text())
    env = {**os.environ, "EMPATHY_PUBLIC_HOST": f"127.0.0.1:{tls_port}", "EMPATHY_UPSTREAM": f"127.0.0.1:{server.port}",
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    proc = subprocess.Popen([caddy, "run", "--config", str(config), "--adapter", "caddyfile"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"https://127.0.0.1:{tls_port}"

    root_ca = tmp_path / "caddy-data/pki/authorities/local/root.crt"     # Caddy's internal CA

    def get(path):
        try:
            return requests.get(base + path, verify=str(root_ca), timeout=2) if root_ca.exists() else None
        except requests.RequestException:
            return None

    try:
        ready = wait_for(lambda: get("/healthz"), timeout=30)
        assert ready is not None and ready.status_code == 200 and ready.json()["status"] == "ok"
        assert get("/metrics").status_code == 404                        # not through the public address
        admin = get("/admin/")                                           # passed on: the app says it is off
        assert admin.status_code == 404 and "The admin page is off" in admin.text
        refused = requests.post(base + "/webhooks/zendesk", data=b"{}", verify=str(root_ca), timeout=5)
        assert refused.status_code == 404 and refused.json()["error"] == "helpdesk_not_enabled"
        too_big = requests.post(base + "/webhooks/zendesk", data=b"x" * (2 * 1024 * 1024), verify=str(root_ca),
                                timeout=10)
        assert too_big.status_code == 413 and too_big.json()["error"] == "payload_too_large"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        server.stop()


def test_compose_wires_tls_proxy_admin_profile_and_the_secret_volume():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert "ports" not in services["web"]                                 # /metrics is not published
    assert services["caddy"]["ports"] == ["80:80", "443:443"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert services["caddy"]["environment"]["EMPATHY_UPSTREAM"] == "web:8080"
    admin = services["admin"]
    assert admin["profiles"] == ["admin"] and admin["env_file"] == ["empathy-cues.admin.env"]
    assert admin["volumes"] == ["empathy-data:/var/lib/empathy-cues"]     # where install writes the secret
    assert "empathy-cues.admin.env" not in str(services["web"]) + str(services["worker"])
    assert {"redis-data", "empathy-data", "caddy-data"} <= set(compose["volumes"])
    for name in ("empathy-cues.env.example", "empathy-cues.admin.env.example", "Caddyfile"):
        assert (DEPLOY / name).is_file()


def test_compose_config_is_valid_when_the_compose_client_exists(tmp_path):
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("no `docker compose` client on this machine")
    work = tmp_path / "deploy"
    shutil.copytree(DEPLOY, work)
    shutil.copy(work / "empathy-cues.env.example", work / "empathy-cues.env")
    shutil.copy(work / "empathy-cues.admin.env.example", work / "empathy-cues.admin.env")
    done = subprocess.run([docker, "compose", "-f", str(work / "compose.yaml"), "--profile", "admin", "config", "-q"],
                          env={**os.environ, "EMPATHY_PUBLIC_HOST": "plugin.example.com"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_operations_guide_runs_install_and_names_files_that_exist():
    guide = (DEPLOY / "OPERATIONS.md").read_text()
    for needed in ("empathy-cues-admin@install", "run --rm admin install", "install -d", "/etc/empathy-cues",
                   "Caddyfile", "EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE", "least privilege"):
        assert needed in guide, needed
    for path in re.findall(r"deploy/[\w./@-]+", guide):
        path = path.rstrip(".")
        # The env files an admin makes are copies of the shipped examples.
        assert (DEPLOY.parent / path).exists() or (DEPLOY.parent / f"{path}.example").exists(), path
