"""Agents' votes on the plugin's notes -> helpful rate per cue, situation and reply part; per-account
cue overrides. ``votes.py`` reads votes off a ticket's tags and records them against the logged
decision; ``report.py`` builds the report (pure) and renders it; ``overrides.py`` loads the overrides.
"""
