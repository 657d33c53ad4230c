"""The shared network directory: organisations, opportunities, training, events."""
from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")

from portal.directory import manage, moderation, routes, template_helpers  # noqa: E402,F401
