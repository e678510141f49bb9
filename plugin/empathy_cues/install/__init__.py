"""`empathy-cues install | uninstall | status`: the helpdesk configuration as data, applied through the API.

    manifest.py   manifests/<helpdesk>/install.json + the settings file -> the objects we want (pure)
    plan.py       wanted objects vs. what the helpdesk has -> create / update / unchanged / edited (pure)
    state.py      what we created (ids, fingerprints) and the webhook secret, in the data dir
    adapter.py    AdminAdapter: what the runner asks of a helpdesk (helpdesks/<name>/admin.py answers)
    runner.py     install / uninstall / status, through an adapter
"""
