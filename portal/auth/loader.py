"""Flask-Login wiring: the cookie identity is "<id>:<session token>"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from portal.extensions import db
from portal.models import User


def load_user(identity: str) -> User | None:
    user_id, _, token = (identity or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not user.is_confirmed or user.is_disabled:
        return None
    return user


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please log in to open this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
