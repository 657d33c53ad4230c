"""The accessibility statement (AgID) of every site and its feedback form.

    accessibility                 /info/accessibilita[/segnalazione]        the hub's statement
    tenant_site.accessibility     /<tenant>/accessibilita[/segnalazione]    a project space's

The statement is data (portal/accessibility/statement.py); reports go to the site's people.
"""

from flask import Blueprint

bp = Blueprint("accessibility", __name__, url_prefix="/info/accessibilita", template_folder="templates")
tenant_bp = Blueprint("accessibility", __name__, url_prefix="/accessibilita")

from portal.accessibility import routes  # noqa: E402,F401
