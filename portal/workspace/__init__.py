""" "La mia area": where every signed-in person lands, with what they can do and what waits for them.

workspace   /la-mia-area   signed in; each section is built only for the roles the person holds,
                           and links only to what that person may open.
"""

from flask import Blueprint

bp = Blueprint("workspace", __name__, template_folder="templates")

from portal.workspace import routes  # noqa: E402,F401
