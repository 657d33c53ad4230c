"""Platform administration from the browser.

admin   /admin/   ONE guard (before_request): signed in (else the login page), and a platform
                  admin (else 403): the dashboard, users and their roles, invitations, projects'
                  settings kept in the database. Every change is an audit event (portal/audit.py).
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from portal.admin import routes  # noqa: E402,F401
