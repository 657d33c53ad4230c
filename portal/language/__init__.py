"""The visible language switcher."""

from flask import Blueprint

bp = Blueprint("language", __name__)

from portal.language import routes  # noqa: E402,F401
