"""Atom feeds (RFC 4287) built with feedgen: ids and links on PUBLIC_URL, so a feed's ids do
not change with the host a reader happened to use, and an author on every feed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import Response


@dataclass
class FeedEntry:
    id: str  # a stable URI: the entry's public URL
    title: str
    link: str
    updated: datetime
    summary: str = ""
    content_html: str = ""
    published: datetime | None = None


@dataclass
class Feed:
    id: str
    title: str
    self_url: str
    alternate_url: str
    author_name: str
    author_uri: str
    language: str
    updated: datetime
    subtitle: str = ""


XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML can carry: characters it forbids (stored before input was checked) are dropped."""
    return XML_UNSAFE.sub("", text)


def atom_response(feed: Feed, entries: Iterable[FeedEntry]) -> Response:
    """The feed as `application/atom+xml`, entries in the order given."""
    generator = FeedGenerator()
    generator.id(feed.id)
    generator.title(feed.title)
    if feed.subtitle:
        generator.subtitle(feed.subtitle)
    generator.link(href=feed.self_url, rel="self", type="application/atom+xml")
    generator.link(href=feed.alternate_url, rel="alternate", type="text/html")
    generator.author({"name": feed.author_name, "uri": feed.author_uri})
    generator.language(feed.language)
    generator.updated(feed.updated)
    for item in reversed(list(entries)):  # feedgen prepends: reverse to keep the order given
        entry = generator.add_entry()
        entry.id(item.id)
        entry.title(xml_text(item.title))
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.updated(item.updated)
        if item.published:
            entry.published(item.published)
        if item.summary:
            entry.summary(xml_text(item.summary))
        if item.content_html:
            entry.content(xml_text(item.content_html), type="html")
    return Response(generator.atom_str(pretty=True), mimetype="application/atom+xml")
