"""Open data, read-only: /api/v1/ answers what is published, as JSON, for other public systems.

    api    /api/v1/organisations, /opportunities, /training, /events, /projects   lists, with the
           listings' filters, page pagination (a capped per_page, Link headers), ETags, CORS
           /api/v1/<collection>/<id>                                            one row
           POST /<collection>, PUT and DELETE /<collection>/<id>, GET /me, /me/entries
                                                                                 with an organisation's API token (writes.py)
           /api/v1/openapi.json, /api/v1/docs                                    the OpenAPI 3.1 document
                                                                                 (built from schemas.py)
                                                                                 and its HTML page

Only published rows of published organisations are ever answered (queries.py); errors are
problem JSON (RFC 9457) with field-level messages (portal/error_pages/).
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")

from portal.api import routes, writes  # noqa: E402,F401
from portal.extensions import csrf  # noqa: E402

csrf.exempt(bp)  # token-authenticated, never by cookie: a forged cross-site request carries no token
