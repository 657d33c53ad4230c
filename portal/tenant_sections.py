"""Checks shared by the features that read their own section of tenant.toml ([lifecycle], [funding],
[accessibility]): each raises ValueError with the section and key, which `tenants sync` turns into an
error naming the file."""

from __future__ import annotations

from datetime import date
from typing import Any


def iso_date(section: str, key: str, value: Any, example: str) -> str:
    """A TOML date (or an ISO string) as stored: "2021-12-31"; a datetime or anything else is refused."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValueError(f"[{section}] {key} must be a date written like {example}, not {value!r}")


def refuse_unknown_keys(section: str, data: dict, known: set[str]) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"[{section}] has unknown keys {unknown}; known keys: {sorted(known)}")
