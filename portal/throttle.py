"""Rate limits: per client address (decorators on the views) and per target (in services).

The per-target limits count what is sent *to* an address or tried *on* an account, whoever
asks and from wherever: 25 registration posts in a second must not write 25 mails to the
same inbox, and spreading login attempts over many addresses must not help guessing one
account's password. Keys carry a hash of the address, never the address itself.
Counters live in the limiter's storage (Redis when REDIS_URL is set: shared by every host).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import current_app, request
from limits import parse_many

from portal.extensions import limiter

log = logging.getLogger(__name__)


def address_key(value: str | None) -> str:
    """A stable, non-reversible key for an e-mail address (normalised)."""
    normalised = (value or "").strip().lower()
    return hashlib.sha256(f"crocevia:{normalised}".encode()).hexdigest()[:32]


def config_limit(name: str) -> Callable[[], str]:
    """A limit string read from the configuration when the request comes (for decorators)."""
    return lambda: current_app.config[name]


def only_posts() -> bool:
    """`exempt_when` for forms: showing the form is free, sending it counts."""
    return request.method != "POST"


def posted_account_key() -> str:
    """`key_func` for per-account limits: the address typed in the form."""
    return f"account:{address_key(request.form.get('email'))}"


def allow(limit_name: str, scope: str, target: str) -> bool:
    """Count one use of `scope` on `target` (an address); False once over the configured limit."""
    if not limiter.enabled or not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    key = address_key(target)
    return all(limiter.limiter.hit(item, limit_name, scope, key) for item in parse_many(current_app.config[limit_name]))


# Every form that makes the portal send mail, per client address (one shared budget); the
# services also limit the mail sent to one address (RATELIMIT_MAIL_PER_ADDRESS).
mail_form_limit = limiter.shared_limit(config_limit("RATELIMIT_MAIL_FORMS"), scope="mail-forms", exempt_when=only_posts)
