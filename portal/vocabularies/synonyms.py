"""The bilingual synonym list (data/synonyms.toml): English words residents type, and the Italian
words entries are written with. Read once per process; the search passes it to the engine."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "synonyms.toml"


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """{english term (lowercase): Italian alternatives}."""
    with DATA.open("rb") as handle:
        terms = tomllib.load(handle).get("terms", {})
    return {str(key).lower(): tuple(str(v) for v in values) for key, values in terms.items()}
