"""Account actions: the only place that creates users or changes credentials."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from portal.extensions import db
from portal.mail import send_templated_mail
from portal.models import User
from portal.models.base import utcnow
from portal.models.user import hash_password
from portal.throttle import allow
from portal.tokens import TokenError, make_token, read_token
from portal.urls import public_url

CONFIRM = "email-confirm"
RESET = "password-reset"


def _dummy_hash() -> str:
    """Compared against when the e-mail is unknown, so both paths cost the same (one per method)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password("not-a-real-password")
    return _DUMMY_HASHES[method]


_DUMMY_HASHES: dict[str, str] = {}


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    email: str,
    name: str,
    password: str | None,
    locale: str | None = None,
    is_admin: bool = False,
    confirmed: bool = False,
    password_hash: str | None = None,
) -> User:
    """A new account; pass `password_hash` when it was computed already (see `register`)."""
    user = User(email=normalise_email(email), name=name.strip(), locale=locale, is_admin=is_admin)
    if password_hash is not None:
        user.password_hash = password_hash
    else:
        user.set_password(password or "")
    if confirmed:
        user.confirm_email()
    db.session.add(user)
    db.session.flush()
    return user


def _mail_in_user_language(user: User, subject: object, template: str, **context: Any) -> None:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        send_templated_mail(user.email, str(subject), template, user=user, **context)


def send_confirmation(user: User) -> None:
    token = make_token(CONFIRM, {"uid": user.id, "email": user.email})
    _mail_in_user_language(
        user, _l("Confirm your e-mail address"), "email/confirm", link=public_url("auth.confirm", token=token)
    )


def _same_work_as_a_mail(template: str, **context: Any) -> None:
    """Render a mail nobody will receive, so that an unknown address costs what a known one does."""
    render_template(f"{template}.txt", **context)
    render_template(f"{template}.html", **context)


def register(email: str, name: str, password: str, locale: str) -> None:
    """Create an unconfirmed account and queue the confirmation link.

    An address already registered gets a notice instead. Both paths do the same work (one
    password hash, one queued mail, no mail sent during the request) and the page says the
    same thing: nobody learns which addresses have accounts, by the text or by the time.
    At most RATELIMIT_MAIL_PER_ADDRESS mails go to one address, however often it is typed.
    """
    password_hash = hash_password(password)
    if not allow("RATELIMIT_MAIL_PER_ADDRESS", "register", email):
        return
    existing = find_user_by_email(email)
    if existing is not None:
        _mail_in_user_language(
            existing,
            _l("Someone tried to register with your address"),
            "email/already_registered",
            login_link=public_url("auth.login"),
            reset_link=public_url("auth.forgot_password"),
        )
        return
    user = create_user(email, name, None, locale, password_hash=password_hash)
    send_confirmation(user)


def resend_confirmation(email: str) -> None:
    """A new confirmation link for an unconfirmed account; the same work and answer otherwise."""
    user = find_user_by_email(email)
    if not allow("RATELIMIT_MAIL_PER_ADDRESS", "confirm", email):
        return
    if user is not None and not user.is_confirmed:
        send_confirmation(user)
    else:
        _same_work_as_a_mail("email/confirm", user=user or _placeholder_user(email), link="")


def confirm(token: str) -> User:
    """Confirm the address in `token`; raises TokenError."""
    payload = read_token(CONFIRM, token, current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise TokenError()
    user.confirm_email()
    return user


def _placeholder_user(email: str) -> User:
    return User(email=normalise_email(email), name="", locale=None)


@dataclass
class LoginResult:
    user: User | None
    unconfirmed: bool = False
    disabled: bool = False


def authenticate(email: str, password: str) -> LoginResult:
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return LoginResult(None)
    if not user.check_password(password or ""):
        return LoginResult(None)
    if user.is_disabled:  # said only to whoever knows the password
        return LoginResult(None, disabled=True)
    if not user.is_confirmed:
        return LoginResult(user, unconfirmed=True)
    user.last_login_at = utcnow()
    return LoginResult(user)


def _password_fingerprint(user: User) -> str:
    """Changes with every new password, so a used reset link stops working. An HMAC of the
    hash, not a piece of it: the token is signed but readable, and must reveal nothing."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"reset:{user.password_hash}".encode(), hashlib.sha256).hexdigest()[:32]


def request_password_reset(email: str) -> None:
    """Queue a reset link for a known address; the same work and answer for an unknown one."""
    user = find_user_by_email(email)
    if not allow("RATELIMIT_MAIL_PER_ADDRESS", "reset", email):
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    if user is None:
        placeholder = _placeholder_user(email)
        make_token(RESET, {"uid": 0, "pw": hmac.new(b"x", b"x", hashlib.sha256).hexdigest()[:32]})
        _same_work_as_a_mail("email/reset_password", user=placeholder, link="", minutes=minutes)
        return
    token = make_token(RESET, {"uid": user.id, "pw": _password_fingerprint(user)})
    _mail_in_user_language(
        user,
        _l("Reset your password"),
        "email/reset_password",
        link=public_url("auth.reset_password", token=token),
        minutes=minutes,
    )


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


def sign_out_everywhere(user: User) -> None:
    """Logout: a new session token, so this session and every remember-me cookie stop working."""
    user.rotate_session_token()
