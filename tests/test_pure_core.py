"""The judgment (clean, match, understand, decide, compose) is pure: importing it loads no I/O library
and none of the plugin's own modules that talk to the network, the disk store or the web.

Each module is imported in a fresh process, so what another test imported cannot hide an import: one
interpreter imports the ``empathy_cues`` package (which every module's import loads first anyway) and
checks it, then forks one child per module. A child starts from exactly what a fresh interpreter holds
after importing the package, so what it adds is what the module pulls in; the interpreter starts once."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

PURE = ("empathy_cues.core.text", "empathy_cues.core.words", "empathy_cues.core.packs", "empathy_cues.core.cues",
        "empathy_cues.core.phrases", "empathy_cues.core.datafile",
        "empathy_cues.core.matching", "empathy_cues.core.matches", "empathy_cues.core.vocabulary",
        "empathy_cues.core.negation", "empathy_cues.core.context_rules", "empathy_cues.core.signs",
        "empathy_cues.core.language", "empathy_cues.core.understand", "empathy_cues.core.decision",
        "empathy_cues.core.sentiment",
        "empathy_cues.analyzer", "empathy_cues.reply.compose", "empathy_cues.reply.clause",
        "empathy_cues.reply.clause_span", "empathy_cues.reply.plan",
        "empathy_cues.reply.template_file", "empathy_cues.bounds", "empathy_cues.core.guard", "empathy_cues.core.history",
        "empathy_cues.core.same_words",
        # What the plugin learns and reports: QA scoring, the reports, the decision log's read API.
        "empathy_cues.qa.score", "empathy_cues.qa.report", "empathy_cues.qa.render", "empathy_cues.qa.svg",
        "empathy_cues.qa.scores", "empathy_cues.feedback.report", "empathy_cues.feedback.votes",
        "empathy_cues.feedback.overrides", "empathy_cues.records.decisions")
# Libraries that do I/O (network, database, web framework, servers, metrics export).
IO_LIBRARIES = ("requests", "urllib3", "zenpy", "flask", "werkzeug", "redis", "huey", "sqlite3", "socket",
                "gunicorn", "gevent", "prometheus_client", "http")
# The plugin's own edges.
IO_MODULES = ("empathy_cues.durable", "empathy_cues.worker", "empathy_cues.service", "empathy_cues.helpdesks",
              "empathy_cues.install", "empathy_cues.cli")

_PROBE = """
import importlib, json, os, sys
modules, io_libraries, io_modules = (json.loads(a) for a in sys.argv[1:4])

def io_loaded():
    return sorted(m for m in sys.modules
                  if m.split(".")[0] in io_libraries or any(m == p or m.startswith(p + ".") for p in io_modules))

importlib.import_module("empathy_cues")
found = {"empathy_cues": io_loaded()}
for name in modules:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            importlib.import_module(name)
            answer = io_loaded()
        except BaseException as exc:
            answer = "import failed: " + repr(exc)
        with os.fdopen(write_end, "w") as out:
            out.write(json.dumps(answer))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as got:
        found[name] = json.loads(got.read())
    os.waitpid(pid, 0)
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def probed() -> dict:
    """What importing each pure module (and the package itself) loads of I/O, module by module."""
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(PURE), json.dumps(IO_LIBRARIES),
                           json.dumps(IO_MODULES)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_package_itself_imports_no_io(probed):
    assert probed["empathy_cues"] == [], f"empathy_cues pulls in I/O: {probed['empathy_cues']}"


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_io(module, probed):
    assert probed[module] == [], f"{module} pulls in I/O: {probed[module]}"


def test_the_web_receiver_does_not_load_the_analyser():
    """A web worker only stores webhooks: its start-up (again after every ``max_requests``) must not pay for
    the analyser, which the package's public names load only when first used."""
    probe = ("import sys, empathy_cues.service.app, empathy_cues\n"
             "print(sorted(m for m in sys.modules if m in ('empathy_cues.analyzer', 'empathy_cues.reply.compose')))\n"
             "from empathy_cues import analyze\n"
             "print(analyze('I tried to log in three times and it still fails').apology)\n"
             "try:\n    empathy_cues.no_such_name\nexcept AttributeError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "True", "module 'empathy_cues' has no attribute 'no_such_name'"]
