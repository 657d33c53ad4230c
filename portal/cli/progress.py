"""Progress for long operator commands: a bar with rate and time left on a terminal (tqdm),
nothing while running otherwise (cron, systemd, CI), where the command prints one summary line."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def on_terminal() -> bool:
    return sys.stderr.isatty()


def bar(total: int | None, label: str, unit: str = "item") -> tqdm:
    """A bar to `update()`; disabled (silent) when stderr is not a terminal."""
    return tqdm(total=total, desc=label, unit=unit, disable=not on_terminal(), dynamic_ncols=True, leave=False)


def track(items: Iterable[T], total: int | None, label: str, unit: str = "item") -> Iterator[T]:
    """Iterate `items` with a bar."""
    with bar(total, label, unit) as progress:
        for item in items:
            yield item
            progress.update(1)
