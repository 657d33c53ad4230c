"""Privacy notices and the rights of the people whose data the portal holds (GDPR).

    privacy          /info/privacy                 the hub's notice (the portal operator)
                     /privacy/request              ask, by e-mail, for what is held for an address
                     /privacy/held/<token>         the mailed link: what is held, JSON, erase it all
    privacy_account  /account/privacy              the signed-in person's download and deletion
    tenant_bp        /<tenant>/privacy             a project's notice (nested by portal.tenant_site)

The notice is built from data (portal/privacy/notice.py); the rights are portal/privacy/services.py.
"""

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates")
account_bp = Blueprint("privacy_account", __name__, url_prefix="/account")
tenant_bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from portal.privacy import routes  # noqa: E402,F401
