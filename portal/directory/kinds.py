"""The kinds of directory rows and their public addresses, defined once."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

ENTRY_KINDS = ("opportunity", "training", "event")
KIND_PATHS = {
    "organisation": "organisations",
    "opportunity": "opportunities",
    "training": "training",
    "event": "events",
}
PATH_KINDS = {path: kind for kind, path in KIND_PATHS.items()}


def detail_url(kind: str, slug: str, build: Callable[..., str] = url_for) -> str:
    """The public page of a row; `build` is url_for, or public_url for mail and feeds."""
    if kind == "organisation":
        return build("directory.organisation", slug=slug)
    return build("directory.entry", kind_path=KIND_PATHS[kind], slug=slug)
