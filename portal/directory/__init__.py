"""The shared network directory: organisations, opportunities, training, events.

directory                /directory/…, /search   public listings, detail pages, network search
├── manage               /directory/manage/      ONE guard: signed in, and a partner editor, a
│                                                coordinator or an admin (each object is then
│                                                checked by the services: its editors and moderators)
└── moderation           /directory/moderation/  ONE guard: a coordinator or an admin
                                                 (its kpi/ child, the network's figures: admins only)
"""

from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")
manage_bp = Blueprint("manage", __name__, url_prefix="/directory/manage")
moderation_bp = Blueprint("moderation", __name__, url_prefix="/directory/moderation")

from portal.directory import manage, manage_tokens, moderation, next_steps, routes, template_helpers  # noqa: E402,F401
from portal.kpi import network_bp as kpi_network_bp  # noqa: E402
from portal.kpi import outcomes_bp  # noqa: E402

manage_bp.register_blueprint(outcomes_bp)  # partners record an internship's placements
moderation_bp.register_blueprint(kpi_network_bp)  # the network's figures (admins only)

bp.register_blueprint(manage_bp)
bp.register_blueprint(moderation_bp)
