"""Account actions: the only place that creates users or changes credentials."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.mail import send_templated_mail
from portal.models import User
from portal.models.base import utcnow
from portal.tokens import TokenError, make_token, read_token

CONFIRM = "email-confirm"
RESET = "password-reset"
# Compared against when the e-mail is unknown, so both paths cost the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, name: str, password: str, locale: str | None = None,
                is_admin: bool = False, confirmed: bool = False) -> User:
    user = User(email=normalise_email(email), name=name.strip(), locale=locale, is_admin=is_admin)
    user.set_password(password)
    if confirmed:
        user.confirm_email()
    db.session.add(user)
    db.session.flush()
    return user


def _external_url(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def _mail_in_user_language(user: User, subject, template: str, **context) -> None:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        send_templated_mail(user.email, str(subject), template, user=user, **context)


def send_confirmation(user: User) -> None:
    token = make_token(CONFIRM, {"uid": user.id, "email": user.email})
    _mail_in_user_language(user, _l("Confirm your e-mail address"), "email/confirm",
                           link=_external_url("auth.confirm", token=token))


def register(email: str, name: str, password: str, locale: str) -> None:
    """Create an unconfirmed account and mail the link.

    An address already registered gets a notice instead, and the page says the
    same thing either way: nobody learns which addresses have accounts.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        _mail_in_user_language(existing, _l("Someone tried to register with your address"),
                               "email/already_registered", login_link=_external_url("auth.login"),
                               reset_link=_external_url("auth.forgot_password"))
        return
    user = create_user(email, name, password, locale)
    db.session.commit()
    send_confirmation(user)


def confirm(token: str) -> User:
    """Confirm the address in `token`; raises TokenError."""
    payload = read_token(CONFIRM, token, current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise TokenError()
    user.confirm_email()
    db.session.commit()
    return user


@dataclass
class LoginResult:
    user: User | None
    unconfirmed: bool = False


def authenticate(email: str, password: str) -> LoginResult:
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return LoginResult(None)
    if not user.check_password(password or ""):
        return LoginResult(None)
    if not user.is_confirmed:
        return LoginResult(user, unconfirmed=True)
    user.last_login_at = utcnow()
    db.session.commit()
    return LoginResult(user)


def _password_fingerprint(user: User) -> str:
    # Changes with every new password: a used reset link stops working.
    return user.password_hash[-16:]


def request_password_reset(email: str) -> None:
    user = find_user_by_email(email)
    if user is None:
        return
    token = make_token(RESET, {"uid": user.id, "pw": _password_fingerprint(user)})
    _mail_in_user_language(user, _l("Reset your password"), "email/reset_password",
                           link=_external_url("auth.reset_password", token=token),
                           minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)


def user_for_reset_token(token: str) -> User:
    """The user a valid, unused reset token belongs to; raises TokenError."""
    payload = read_token(RESET, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or payload.get("pw") != _password_fingerprint(user):
        raise TokenError()
    return user


def set_new_password(user: User, password: str) -> None:
    """New password, every session signed out; a reset also proves the address."""
    user.set_password(password)
    user.rotate_session_token()
    user.confirm_email()
    db.session.commit()
