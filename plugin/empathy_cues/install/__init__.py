"""`empathy-cues install | uninstall | status`: the helpdesk configuration as data, applied through the API.

    manifest.py   manifests/<helpdesk>/install.json + the settings file -> the objects we want (pure)
    plan.py       wanted objects vs. what the helpdesk has -> create / update / unchanged / edited (pure)
    state.py      what we created (ids, fingerprints) and the webhook secret, in the data dir
    zendesk.py    the Zendesk adapter (webhooks, triggers, automations, SLA policies, views, macros)
    freshdesk.py  the Freshdesk adapter (canned responses; rules by hand, with instructions)
    runner.py     install / uninstall / status, through an adapter
    app_package.py the Zendesk private-app package rendered from the same manifest
"""
