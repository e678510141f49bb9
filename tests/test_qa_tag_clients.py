"""add_tags (the optional missing-apology tag) of both helpdesk clients, real zenpy and requests against the
loopback stand-ins: the ticket's other tags are kept, no note is posted."""


def test_zendesk_add_tags_keeps_the_others(zendesk_client, zendesk_standin):
    zendesk_standin.add_ticket(5, tags=["vip"], comments=[{"body": "Still broken", "author_id": 11}])
    assert zendesk_client.add_tags("5", ("empathy_qa_apology_missing",)) == ("empathy_qa_apology_missing",)
    assert zendesk_standin.tickets[5]["tags"] == ["vip", "empathy_qa_apology_missing"]
    assert zendesk_standin.notes(5) == []


def test_freshdesk_add_tags_keeps_the_others(freshdesk_client, freshdesk_standin):
    freshdesk_standin.add_ticket(5, tags=["vip"], conversations=[{"body": "<div>Broken</div>", "user_id": 11}])
    assert freshdesk_client.add_tags("5", ("empathy_qa_apology_missing",)) == ("empathy_qa_apology_missing",)
    assert freshdesk_standin.tickets[5]["tags"] == ["vip", "empathy_qa_apology_missing"]
    assert freshdesk_client.add_tags("5", ("empathy_qa_apology_missing",)) == ()
    assert freshdesk_standin.notes(5) == []
