"""The signed-in user's own profile and password."""

from flask import Blueprint

bp = Blueprint("account", __name__, template_folder="templates")

from portal.account import routes  # noqa: E402,F401
