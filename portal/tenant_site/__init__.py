"""A project's space at /<tenant>/: home, pages, news, and its management."""
from flask import Blueprint

bp = Blueprint("tenant_site", __name__, template_folder="templates")

from portal.tenant_site import loading, manage, routes  # noqa: E402,F401
from portal.newsletters import manage as newsletter_manage, routes as newsletter_routes  # noqa: E402,F401
