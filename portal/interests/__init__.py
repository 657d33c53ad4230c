""" "Show interest" on open opportunities and training, and who to contact about an entry.

interests   /directory/<kind_path>/<slug>/interest   a short form (no account needed) that mails
                                                     the entry's contact and acknowledges the person

Public, like the entry pages it hangs off; the services check that the entry is published and open.
"""

from flask import Blueprint

bp = Blueprint("interests", __name__, template_folder="templates")

from portal.interests import routes, template_helpers  # noqa: E402,F401
