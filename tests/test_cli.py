"""The empathy-cues command, through click's runner and through a real subprocess."""
import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from empathy_cues.cli import main

EXAMPLE = "Love the app! I tried to export my data but can't seem to find where"


@pytest.fixture
def runner():
    return CliRunner()


def test_scan_readable_output_shows_decision_and_highlights_cues(runner):
    result = runner.invoke(main, ["scan", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "Apology owed: yes" in result.output
    assert "Priority follow-up: no" in result.output
    assert "[I tried to]" in result.output and "[can't seem to]" in result.output
    assert "empathy_apology" in result.output


def test_scan_json_is_one_object(runner):
    result = runner.invoke(main, ["scan", "--json", "--channel", "social", "Still broken, third time asking"])
    data = json.loads(result.output)
    assert data["apology"] is True and data["priority"] is True
    assert data["respond_within_minutes"] == 60
    assert {"cue_id", "category", "matched", "score", "start", "end"} <= set(data["cues"][0])


def test_scan_reads_stdin_with_dash(runner):
    result = runner.invoke(main, ["scan", "-", "--json"], input="I can't figure out how to log in\n")
    assert json.loads(result.output)["apology"] is True


def test_scan_jsonl_writes_one_line_per_input(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "This is frustrating", "channel": "social"}\n\n'
                      '{"id": "b", "text": "Do you ship to Canada?"}\n', encoding="utf-8")
    result = runner.invoke(main, ["scan", "--jsonl", str(source)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[0]["apology"] and lines[0]["respond_within_minutes"] == 60
    assert not lines[1]["apology"] and lines[1]["tags"] == []
    assert set(lines[0]) == {"id", "apology", "priority", "tags", "cues", "respond_within_minutes", "situation",
                             "severity", "asks", "language_covered"}
    assert lines[1]["situation"] == "information" and lines[1]["severity"] == 0


def test_scan_pack_option_uses_another_pack(runner, tmp_path):
    pack = tmp_path / "tiny.yaml"
    pack.write_text('language: en\nversion: 1\ncategories:\n  struggle: {apology: true}\n'
                    'cues:\n  - id: struggle.wobbly\n    category: struggle\n    phrases: ["wobbly"]\n', encoding="utf-8")
    result = runner.invoke(main, ["scan", "--json", "--pack", str(pack), "the table is wobbly"])
    assert [c["cue_id"] for c in json.loads(result.output)["cues"]] == ["struggle.wobbly"]


def test_packs_check_builtin_and_show(runner):
    result = runner.invoke(main, ["packs", "check"])
    assert result.exit_code == 0 and result.output.startswith("ok: ")
    shown = runner.invoke(main, ["packs", "show"])
    assert "struggle.tried" in shown.output


def cli(*args, stdin=None):
    exe = shutil.which("empathy-cues")
    command = [exe, *args] if exe else [sys.executable, "-c", "from empathy_cues.cli import run; run()", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60)


def test_subprocess_scan_works_end_to_end():
    done = cli("scan", "--json", EXAMPLE)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["apology"] is True


def test_subprocess_bad_jsonl_line_exits_2_naming_the_line_and_writes_nothing(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "fine"}\n{"id": 2}\n', encoding="utf-8")
    done = cli("scan", "--jsonl", str(source))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == f'empathy-cues: {source}: line 2 has no "text" string'
    assert "Traceback" not in done.stderr


def test_subprocess_not_json_and_unreadable_file_exit_2(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1, "text": "fine"}\nnot json\n', encoding="utf-8")
    done = cli("scan", "--jsonl", str(source))
    assert done.returncode == 2 and "line 2 is not valid JSON" in done.stderr and done.stdout == ""
    missing = cli("scan", "--jsonl", str(tmp_path / "absent.jsonl"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_subprocess_packs_check_fails_on_a_broken_pack(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("language: en\nversion: 1\ncategories: {}\ncues:\n  - id: x.y\n    category: nope\n    phrases: [a]\n",
                      encoding="utf-8")
    done = cli("packs", "check", str(broken))
    assert done.returncode == 1
    assert f"{broken}: cue 'x.y': unknown category 'nope'" in done.stderr


def test_subprocess_no_text_is_a_usage_error():
    done = cli("scan")
    assert done.returncode == 2 and "nothing to scan" in done.stderr


def test_scan_reads_tag_names_from_the_settings_file(runner, tmp_path):
    config = tmp_path / "empathy.toml"
    config.write_text('[tags]\napology = "sorry_owed"\n\n[response_minutes]\nemail = 120\n', encoding="utf-8")
    result = runner.invoke(main, ["scan", "--json", "--config", str(config), "it keeps failing"])
    data = json.loads(result.output)
    assert data["tags"][0] == "sorry_owed"
    assert "empathy_respond_2h" in data["tags"] and data["respond_within_minutes"] == 120


def test_readme_scan_examples_are_what_scan_prints(runner):
    """Every `$ .venv/bin/empathy-cues scan "..."` block in the README shows today's output."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n\$ \.venv/bin/empathy-cues (scan [^\n]+)\n(.*?)```", readme, re.S)
    assert blocks, "the README shows no scan example"
    for command, shown in blocks:
        result = runner.invoke(main, shlex.split(command), color=False)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == shown.strip(), f"README example is stale: {command}"


def test_packs_show_lists_every_cue_and_how_it_is_found(runner):
    result = runner.invoke(main, ["packs", "show"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "detector negative_wording" in lines["negative_wording.lexicon"]
    assert "apology" in lines["negative_wording.lexicon"]
    assert "detector shouting" in lines["intensity.shouting"]
    assert lines["struggle.tried"].rstrip().endswith("phrases")
