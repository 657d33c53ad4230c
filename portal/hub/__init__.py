"""The network's front page and its site-wide pages (accessibility; the privacy notice is portal.privacy)."""

from flask import Blueprint

bp = Blueprint("hub", __name__, template_folder="templates")

from portal.hub import routes  # noqa: E402,F401
