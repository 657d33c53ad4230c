"""Company self-registration (ALICE's "anagrafe delle imprese").

companies                      /companies/register, /companies/confirm/<token>   public: no account needed
tenant_site.manage.companies   /<tenant>/manage/companies/   under the space's ONE coordinator guard:
                                                             the registrations that chose this project

A registration is never public nor indexed: it reaches the coordinators only once its contact
person confirmed the address, and becomes an organisation (or joins the one that already holds
its fiscal code) only when a coordinator of one of its projects verifies it.
"""

from flask import Blueprint

bp = Blueprint("companies", __name__, url_prefix="/companies", template_folder="templates")
manage_bp = Blueprint("companies", __name__, url_prefix="/companies", template_folder="templates")

from portal.companies import manage, routes  # noqa: E402,F401
