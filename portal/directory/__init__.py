"""The shared network directory: organisations, opportunities, training, events.

directory                /directory/…, /search   public listings, detail pages, network search
├── manage               /directory/manage/      ONE guard: signed in, and a partner editor, a
│                                                coordinator or an admin (each object is then
│                                                checked by the services: its editors and moderators)
└── moderation           /directory/moderation/  ONE guard: a coordinator or an admin
"""

from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")
manage_bp = Blueprint("manage", __name__, url_prefix="/directory/manage")
moderation_bp = Blueprint("moderation", __name__, url_prefix="/directory/moderation")

from portal.directory import manage, manage_tokens, moderation, next_steps, routes, template_helpers  # noqa: E402,F401

bp.register_blueprint(manage_bp)
bp.register_blueprint(moderation_bp)
