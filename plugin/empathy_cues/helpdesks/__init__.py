"""The helpdesks, one folder each, found by name in ``registry.py``.

    spec.py        Helpdesk: what the rest of the plugin may know about one helpdesk
    registry.py    REGISTRY: one line per helpdesk
    <name>/        settings, signature, normalize, client, limits, admin (install adapter), spec
    transport.py   the HTTP session every client uses, and how a failed call becomes a HelpdeskError
    ratelimit.py   the outbound rate limiter; limits.py builds one per helpdesk and process
"""
