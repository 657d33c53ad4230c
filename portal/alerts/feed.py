"""An alert's private Atom feed: the same saved search, for a feed reader instead of mail."""

from __future__ import annotations

import logging

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select

from portal.alerts.saved_search import SavedSearch
from portal.alerts.services import feed_token
from portal.directory import indexing
from portal.errors import Unavailable
from portal.extensions import db
from portal.models import Alert, Entry
from portal.syndication.atom import entries_feed
from portal.urls import public_url

FEED_SIZE = 30
log = logging.getLogger(__name__)


def alert_feed(alert: Alert, search: SavedSearch) -> Response:
    query = search.query()
    query.per_page = FEED_SIZE
    try:  # the engine itself: the plain fallback of the search pages would ignore the filters
        hits = indexing.engine().search(query).hits
    except Exception:
        log.exception("alert feed: the search engine failed")
        raise Unavailable() from None
    ids = [int(hit.id.partition(":")[2]) for hit in hits if hit.kind != "organisation"]
    rows = {row.id: row for row in db.session.scalars(select(Entry).where(Entry.id.in_(ids)))} if ids else {}
    token_url = public_url("alerts.alert_feed", token=feed_token(alert))
    response = entries_feed(
        _("Alert: %(search)s", search=search.describe()),
        token_url,
        token_url,
        search.url(),
        [rows[i] for i in ids if i in rows],
        search.tenant,
    )
    response.headers["X-Robots-Tag"] = "noindex"  # a personal address: not for search engines,
    response.headers["Cache-Control"] = "private, no-store"  # nor for shared caches (and stopping works at once)
    return response
