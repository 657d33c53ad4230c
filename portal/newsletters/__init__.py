"""Project newsletters: subscriptions, composing, delivery, archive and feed.

Two blueprints, nested by portal.tenant_site under a project's space:
`public_bp` at /<tenant>/newsletter/ (subscribe, confirm, manage a subscription, archive, feed)
and `manage_bp` at /<tenant>/manage/newsletter/ (under the space's coordinator guard).
This package imports nothing from portal.tenant_site.
"""

from flask import Blueprint

public_bp = Blueprint("newsletter", __name__, url_prefix="/newsletter", template_folder="templates")
manage_bp = Blueprint("newsletter", __name__, url_prefix="/newsletter")

from portal.newsletters import manage, routes  # noqa: E402,F401
