"""Admin commands say what they read, never create a store to read it, and fail in one line when the
queue is unreachable; a worker rides out a Redis outage with one log line per change, not tracebacks."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from empathy_cues.service.settings import Settings
from empathy_cues.durable.state import open_store

from .test_e2e import wait_for
from .conftest import service_env

EXE = str(Path(sys.executable).with_name("empathy-cues"))


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", ""), "HOME": env.get("HOME", os.environ.get("HOME", "/tmp"))}
    return subprocess.run([EXE, *args], env={**base, **env}, capture_output=True, text=True, timeout=60,
                          input=stdin)


def test_a_missing_data_dir_is_named_and_not_created(tmp_path):
    absent = tmp_path / "typo"
    for args in (["deadletters", "list"], ["deadletters", "show", "1"], ["deadletters", "replay", "--all"],
                 ["deadletters", "purge", "--yes"]):
        done = cli({"EMPATHY_DATA_DIR": str(absent)}, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert f"no empathy-cues state in {absent}" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == "" and not absent.exists()


def test_the_default_data_dir_is_named_as_the_default(tmp_path):
    done = cli({"HOME": str(tmp_path)}, "deadletters", "list")
    assert done.returncode == 2
    assert "EMPATHY_DATA_DIR is not set" in done.stderr.splitlines()[0]
    assert not (tmp_path / ".local/share/empathy-cues").exists()


def test_an_existing_store_is_read_and_named(tmp_path):
    env = {"EMPATHY_DATA_DIR": str(tmp_path / "data")}
    store = open_store(Settings.from_env(env))
    store.add_dead_letter("k1", {"helpdesk": "zendesk", "ticket_id": "7"}, "permanent error: 404")
    done = cli(env, "deadletters", "list")
    assert done.returncode == 0 and json.loads(done.stdout)["ticket_id"] == "7"
    assert done.stderr == f"empathy-cues: reading {tmp_path / 'data'} (EMPATHY_DATA_DIR)\n"


def test_redis_url_is_named_without_its_password():
    settings = Settings.from_env({"EMPATHY_QUEUE_URL": "redis://user:hunter2@10.0.0.5:6380/2"})
    assert settings.describe_storage() == "Redis redis://user:***@10.0.0.5:6380/2 (EMPATHY_QUEUE_URL)"


def test_redis_unreachable_is_one_line_and_exit_2(tmp_path):
    env = {"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_QUEUE_URL": "redis://127.0.0.1:1/0"}
    for args in (["deadletters", "list"], ["deadletters", "replay", "--all"], ["deadletters", "purge", "--yes"]):
        done = cli(env, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        lines = done.stderr.splitlines()
        assert lines[0] == "empathy-cues: reading Redis redis://127.0.0.1:1/0 (EMPATHY_QUEUE_URL)"
        assert len(lines) == 2 and lines[1].startswith("empathy-cues: Redis unreachable") and "Traceback" not in done.stderr


class FlakyRedisProxy:
    """A loopback TCP proxy to the real Redis that can refuse service: while ``down`` it accepts each
    connection and closes it at once (counting it), so the test sees how often the worker tries."""

    def __init__(self, target=("127.0.0.1", 6379)) -> None:
        self.target, self.down, self.refused = target, False, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                self.refused += 1
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()




@pytest.mark.slow  # a real worker process through a Redis outage
def test_worker_logs_one_line_per_redis_state_change_and_backs_off(tmp_path, redis_url):
    db = redis_url.rsplit("/", 1)[1]
    proxy = FlakyRedisProxy()
    proxy.down = True
    log_path = tmp_path / "worker.log"
    env = {**os.environ, **service_env(tmp_path / "data", EMPATHY_QUEUE_URL=f"redis://127.0.0.1:{proxy.port}/{db}",
                                       EMPATHY_WORKERS="2")}
    with open(log_path, "wb") as log:
        worker = subprocess.Popen([EXE, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=log,
                                  start_new_session=True)
    try:
        assert wait_for(lambda: proxy.refused >= 6, 30), "the worker never tried Redis"
        down_log = log_path.read_text()
        assert down_log.count("queue unreachable: Redis") == 1, down_log
        assert "Traceback" not in down_log and '"exc"' not in down_log
        proxy.down = False
        assert wait_for(lambda: "queue reachable again" in log_path.read_text(), 30), log_path.read_text()
        text = log_path.read_text()
        assert text.count("queue unreachable: Redis") == 1 and text.count("queue reachable again") == 1
        assert "Traceback" not in text and '"exc"' not in text
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        proxy.close()


# -- command-line edges ----------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def test_scan_jsonl_applies_channel_subject_and_note_and_refuses_json(tmp_path):
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"id": 1, "text": "I tried twice and it still fails, so frustrating"}) + "\n"
                     + json.dumps({"id": 2, "text": "Thanks, all sorted!", "channel": "email"}) + "\n")
    done = cli({}, "scan", "--jsonl", str(lines), "--channel", "social", "--note")
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["respond_within_minutes"] == 60 and second["respond_within_minutes"] == 360   # a line's own wins
    assert first["note"] and second["note"] is None          # no note is posted when nothing is owed
    subject = cli({}, "scan", "--jsonl", str(lines), "--subject", "Third time asking")
    assert "empathy_cue_repeat_contact" in json.loads(subject.stdout.splitlines()[1])["tags"]
    refused = cli({}, "scan", "--jsonl", str(lines), "--json")
    assert refused.returncode == 2 and refused.stdout == "" and "--json does nothing with --jsonl" in refused.stderr


def test_scan_note_says_when_no_note_would_be_posted():
    done = cli({}, "scan", "--note", "Thanks, all sorted!")
    assert done.returncode == 0 and "No note would be posted" in done.stdout
    assert "Private note that would be posted" not in done.stdout
    as_json = cli({}, "scan", "--note", "--json", "Thanks, all sorted!")
    assert json.loads(as_json.stdout)["note"] is None


def test_declining_purge_deletes_nothing_and_exits_0(tmp_path):
    import pty

    env = {"EMPATHY_DATA_DIR": str(tmp_path / "data")}
    store = open_store(Settings.from_env(env))
    store.add_dead_letter("k1", {"helpdesk": "zendesk", "ticket_id": "7"}, "permanent error: 404")
    master, slave = pty.openpty()
    try:
        os.write(master, b"n\n")
        done = subprocess.run([EXE, "deadletters", "purge"], env={"PATH": os.environ["PATH"], **env}, stdin=slave,
                              capture_output=True, text=True, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert done.returncode == 0 and "Nothing purged." in done.stdout
    assert len(store.dead_letters()) == 1
    piped = cli(env, "deadletters", "purge", stdin="y\n")
    assert piped.returncode == 2 and "give --yes" in piped.stderr and len(store.dead_letters()) == 1


def test_replay_prints_the_note_as_written_not_escaped():
    done = subprocess.run([EXE, "replay", "tests/samples/zendesk/trigger_comment.json", "--helpdesk", "zendesk"],
                          env={"PATH": os.environ["PATH"], "HOME": "/nonexistent"}, cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "\\u" not in done.stdout and "—" in json.loads(done.stdout)["plan"]["note_text"]


def test_install_dry_run_offline_needs_no_credentials(tmp_path):
    env = {"EMPATHY_DATA_DIR": str(tmp_path / "data")}
    done = cli(env, "install", "zendesk", "--url", "https://plugin.example.com", "--dry-run", "--offline")
    assert done.returncode == 0, done.stderr
    assert "Offline - the helpdesk was not asked" in done.stdout and "Summary: 16 create" in done.stdout
    assert not (tmp_path / "data").exists()
    without = cli(env, "install", "zendesk", "--url", "https://plugin.example.com", "--dry-run")
    assert without.returncode == 2 and "EMPATHY_ZENDESK_API_TOKEN" in without.stderr
    alone = cli(env, "install", "zendesk", "--url", "https://plugin.example.com", "--offline")
    assert alone.returncode == 2 and "use it with --dry-run" in alone.stderr


def test_packs_check_prints_one_line_per_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("language: en\nversion: 1\ncategories: {}\ncues:\n"
                      "  - id: x.one\n    category: nope\n    phrases: [a]\n"
                      "  - id: x.two\n    category: nope\n    phrases: [b]\n"
                      "  - id: x.three\n    category: nope\n    phrases: [c]\n", encoding="utf-8")
    done = cli({}, "packs", "check", str(broken))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"error: {broken}: cue 'x.{n}': unknown category 'nope'"
                                        for n in ("one", "two", "three")]
