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


AT_LEAST = "≥ 5"


def series_shown(counts: list[int]) -> list[tuple[str, bool]]:
    """A series whose total is shown elsewhere (placements month by month): (text, hidden) per count.

    With exactly one count hidden as "< 5", the total minus the others would give it back; so the
    smallest other non-zero count is hidden too, as "≥ 5" (complementary suppression)."""
    texts = [(shown(count), is_suppressed(count)) for count in counts]
    hidden = [i for i, count in enumerate(counts) if is_suppressed(count)]
    others = [i for i, count in enumerate(counts) if count >= THRESHOLD]
    if len(hidden) == 1 and others:
        partner = min(others, key=lambda i: counts[i])
        texts[partner] = (AT_LEAST, True)
    return texts
