"""URL slugs shared by pages, news, organisations and entries."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from portal.extensions import db


def slugify(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "item"


def unique_slug(model, base: str, *scope) -> str:
    """`base`, or `base-2`, `base-3`… : the first not yet used by `model` rows matching `scope`."""
    taken = set(db.session.scalars(select(model.slug).where(model.slug.like(f"{base}%"), *scope)))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
