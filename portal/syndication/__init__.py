"""Open formats: what the portal publishes, in the formats calendars, feed readers and search
engines already read. Everything here is built from the database's published rows (the search
engine only picks which rows match a filter), so nothing pending or withdrawn leaks out.

    syndication              /directory/calendar.ics, /directory/feed.atom   the network, with the listing's filters
                             /directory/<kind>/<slug>/calendar.ics           one event or course
                             /directory/<kind>/<slug>/deadline.ics           an opportunity's or course's deadline
                             /sitemap.xml, /robots.txt
    tenant_site.syndication  /<tenant>/calendar.ics, /<tenant>/feed.atom     a project's slice, same filters
                             /<tenant>/news/feed.atom                        a project's news

calendar.py (RFC 5545, icalendar), atom.py (RFC 4287, feedgen via portal.feeds),
structured_data.py (schema.org JSON-LD on detail pages), sitemap.py.
"""

from flask import Blueprint

bp = Blueprint("syndication", __name__)
tenant_bp = Blueprint("syndication", __name__)

from portal.syndication import routes, template_helpers  # noqa: E402,F401
