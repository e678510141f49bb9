"""A response target as people read it: "6 hours", "90 minutes"."""
from __future__ import annotations


def minutes_text(minutes: int) -> str:
    """Whole hours from two hours on (360 -> '6 hours'); minutes otherwise (60 -> '60 minutes', 90 -> '90 minutes')."""
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"
