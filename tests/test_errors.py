"""Our errors survive a process boundary: a pool of workers that raises one hands back the same error."""
from __future__ import annotations

import copy
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from empathy_cues.core.packs import load_pack_file
from empathy_cues.errors import (MissingField, PackError, PermanentHelpdeskError, QueueUnavailable,
                                 RetryableHelpdeskError, SignatureError)

ERRORS = [
    PackError("packs/en.yaml", "a phrase repeats", cue_id="problem.not_working"),
    RetryableHelpdeskError("zendesk said 429", helpdesk="zendesk", ticket_id="42", status=429, retry_after=7.5),
    PermanentHelpdeskError("freshdesk said 404", helpdesk="freshdesk", ticket_id="9", status=404),
    MissingField("ticket.id"),
    SignatureError("signature expired", code="stale_timestamp"),
    QueueUnavailable("the queue refused the event"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_an_error_pickled_and_copied_keeps_its_message_and_fields(error):
    for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert vars(again) == vars(error)


def _load(path: str):
    return load_pack_file(path)


def test_a_pack_error_raised_in_a_worker_process_arrives_whole(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("language: en\ncues: [1, 2]\n", encoding="utf-8")
    with ProcessPoolExecutor(max_workers=1) as pool:
        with pytest.raises(PackError) as raised:
            pool.submit(_load, str(bad)).result(timeout=60)
    assert raised.value.path == str(bad)
    assert str(bad) in str(raised.value)
