"""QA scoring, the reports and the decision log's read API are pure: importing them loads no I/O library
and none of the plugin's edges (the same probe as test_pure_core.py, in a fresh interpreter)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .test_pure_core import _PROBE, IO_LIBRARIES, IO_MODULES

PURE = ("empathy_cues.qa.score", "empathy_cues.qa.report", "empathy_cues.qa.render", "empathy_cues.qa.svg",
        "empathy_cues.qa.scores", "empathy_cues.feedback.report", "empathy_cues.feedback.votes",
        "empathy_cues.feedback.overrides", "empathy_cues.records.decisions")


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_io(module):
    done = subprocess.run([sys.executable, "-c", _PROBE, module, json.dumps(IO_LIBRARIES), json.dumps(IO_MODULES)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [], f"{module} pulls in I/O: {done.stdout.strip()}"
