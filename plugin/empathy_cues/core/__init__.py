"""The pure core: events, text cleaning, phrase packs, matching, understanding, the decision and the
write plan. No I/O once the packs are loaded; tests/test_pure_core.py holds it to that."""
