"""KPIs against targets: counts from the data beside each project's targets, and the internship
outcomes partners record (counts only, never names).

Three blueprints, nested elsewhere so that each hangs under an existing guard:

    tenant_site.manage.kpi     /<tenant>/manage/kpi/       a project's dashboard, CSV (coordinators, admins)
    directory.moderation.kpi   /directory/moderation/kpi/  the network's dashboard, CSV (admins only)
    directory.manage.outcomes  /directory/manage/entries/<entry_id>/outcomes  partners record placements

Every count from 1 to 4 is shown as "< 5" (portal/kpi/suppression.py) on every output.
This package imports nothing from portal.tenant_site.
"""

from flask import Blueprint

project_bp = Blueprint("kpi", __name__, url_prefix="/kpi", template_folder="templates")
network_bp = Blueprint("kpi", __name__, url_prefix="/kpi")
outcomes_bp = Blueprint("outcomes", __name__)

from portal.kpi import outcome_views, routes, template_helpers  # noqa: E402,F401
