"""Domain errors: what services raise, and the only errors views need to know.

Services check permission, validate and change data; when they refuse they raise one of
these (never `abort()`, never a bare string to compare). The message is for the person:
a lazy string, shown in their language. One handler (portal/error_pages/) turns an error
that a view did not handle into a page or problem JSON with the error's status.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base class. `message` is shown to the person; `fields` maps form fields to messages."""

    status = 400
    default_message: Any = _l("The request could not be understood. Please go back and try again.")

    def __init__(self, message: Any = None, *, fields: dict[str, Any] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.fields = dict(fields or {})
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class BadRequest(DomainError):
    """A request no form of the portal would send (tampered or truncated)."""


class Invalid(DomainError):
    """The data breaks a rule (a field, or the combination of fields)."""

    status = 422
    default_message = _l("Please correct the highlighted fields.")


class Unauthorized(DomainError):
    """No credentials, or ones that are not (or no longer) valid."""

    status = 401
    default_message = _l("A valid API token is needed: send it as 'Authorization: Bearer <token>'.")


class Forbidden(DomainError):
    """The person may not do this."""

    status = 403
    default_message = _l(
        "You do not have permission to do this. If you think you should, contact the project's coordinators."
    )


class NotFound(DomainError):
    """The thing asked for does not exist, or may not be seen by the asker."""

    status = 404
    default_message = _l("The page you are looking for does not exist or has been moved.")


class Conflict(DomainError):
    """The data changed meanwhile, or is in a state that does not allow this action."""

    status = 409
    default_message = _l(
        "Someone else saved this in the meantime. Their version is shown below: copy your changes again and save."
    )


class ProjectEnded(Conflict):
    """The project has ended: its space is an archive, it takes no new newsletter issue or entry."""

    default_message = _l("This project has ended: its space stays online as an archive, but it takes nothing new.")


class TooMany(DomainError):
    """Too many of these actions on the same target in a short time (a per-target rate limit)."""

    status = 429
    default_message = _l("You have tried too many times. Wait a few minutes, then try again.")


class Unavailable(DomainError):
    """Something this answer needs is being rebuilt (e.g. the search index): try again soon."""

    status = 503
    default_message = _l("The service is temporarily unavailable. Please try again in a few minutes.")


class StaleEdit(Conflict):
    """Someone else saved the row since the form was loaded (optimistic locking)."""


def require(condition: bool, message: Any = None) -> None:
    """Raise Forbidden unless `condition` holds."""
    if not condition:
        raise Forbidden(message)
