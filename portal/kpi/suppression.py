"""Aggregates only: a count from 1 to 4 could single a person out, so it is never shown.

Every output (page, chart labels and heights, tables, CSV, the hub) goes through `shown`.
"""

from __future__ import annotations

THRESHOLD = 5
SUPPRESSED = "< 5"


def is_suppressed(count: int) -> bool:
    return 0 < count < THRESHOLD


def shown(count: int) -> str:
    """0 -> "0", 1-4 -> "< 5", otherwise the number."""
    return SUPPRESSED if is_suppressed(count) else str(count)


def share(count: int, target: int) -> str:
    """Percentage of a target reached, only when the count itself may be shown (a percentage of
    a suppressed count would give it back)."""
    if is_suppressed(count) or target <= 0:
        return ""
    return f"{round(100 * count / target)}%"
