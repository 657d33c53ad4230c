"""A partner system's JSON, checked by the same forms as the web: each JSON value must have the
type its form field expects, unknown fields are refused, then the form validates and gives the
services the same data a browser's form would. Projects are named by slug, not database id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, DateTimeLocalField, IntegerField, SelectMultipleField

from portal.directory.forms import optional_int, tri_state
from portal.errors import Invalid
from portal.models import Organisation
from portal.security import UNUSABLE
from portal.timezone import ROME

UNKNOWN = _l("Unknown field.")
CONTROL = _l("Contains control characters that cannot be saved.")
NOT_A = {
    "string": _l("Must be a string."),
    "integer": _l("Must be a whole number."),
    "boolean": _l("Must be true or false."),
    "array": _l("Must be a list of strings."),
}
UNKNOWN_PROJECT = _l("The organisation does not work with this project: %(slug)s.")
# Not filled in from JSON: the version travels in its own field, `projects` replaces tenant_ids.
INTERNAL = frozenset({"csrf_token", "submit", "version", "tenant_ids"})


def _coerce(field: Any) -> Any:
    return getattr(field, "kwargs", {}).get("coerce")


def json_type(field: Any) -> str:
    """The JSON type a form field takes (unbound or bound): what the read API gives for it."""
    cls = getattr(field, "field_class", type(field))
    if issubclass(cls, BooleanField) or _coerce(field) is tri_state:
        return "boolean"
    if issubclass(cls, IntegerField) or _coerce(field) is optional_int:
        return "integer"
    if issubclass(cls, SelectMultipleField):
        return "array"
    return "string"


def writable_fields(form_class: Any) -> dict[str, Any]:
    """name -> unbound field of what a partner system may send (the web form's fields)."""
    return {name: getattr(form_class, name) for name in form_class.field_names() if name not in INTERNAL}


def _accepts(kind: str, value: Any) -> bool:
    if value is None:
        return True
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, str)


def _as_form_values(field: Any, value: Any) -> list[str]:
    if _coerce(field) is tri_state and isinstance(value, bool):  # yes / no / not stated
        return ["yes" if value else "no"]
    if value is None or value is False:
        return []
    if value is True:
        return ["y"]
    if isinstance(value, list):
        return [str(item) for item in value]
    cls = getattr(field, "field_class", None)
    if cls is not None and issubclass(cls, DateTimeLocalField):
        return [_italian_time(str(value).strip())]
    if cls is not None and issubclass(cls, DateField):
        return [str(value).strip()]
    return [str(value)]


def _italian_time(text: str) -> str:
    """A moment as the read API gives it (ISO 8601 with an offset) in Italian time, as the form
    takes it; a moment without an offset is already Italian time."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text  # the form says what is wrong with it
    if moment.tzinfo is None:
        return text
    return moment.astimezone(ROME).strftime("%Y-%m-%dT%H:%M")


def form_data(form_class: Any, body: dict[str, Any], org: Organisation) -> MultiDict:
    """The body as the form data a browser would post; Invalid lists every field at fault."""
    fields = writable_fields(form_class)
    problems: dict[str, Any] = {}
    data: MultiDict = MultiDict()
    for name, value in body.items():
        if name in ("version", "projects"):
            continue
        if name not in fields:
            problems[name] = [str(UNKNOWN)]
            continue
        kind = json_type(fields[name])
        if not _accepts(kind, value):
            problems[name] = [str(NOT_A[kind])]
            continue
        if any(
            UNUSABLE.search(text) for text in (value if isinstance(value, list) else [value]) if isinstance(text, str)
        ):
            problems[name] = [str(CONTROL)]
            continue
        for item in _as_form_values(fields[name], value):
            data.add(name, item)
    projects = body.get("projects", [t.slug for t in org.tenants])
    if not _accepts("array", projects) or projects is None:
        problems["projects"] = [str(NOT_A["array"])]
    else:
        ids = {t.slug: t.id for t in org.tenants}
        for slug in projects:
            if slug not in ids:
                problems.setdefault("projects", []).append(str(_l(UNKNOWN_PROJECT, slug=slug)))
            else:
                data.add("tenant_ids", str(ids[slug]))
    if problems:
        raise Invalid(fields=problems)
    return data


def field_errors(form: Any) -> dict[str, list[str]]:
    """The form's messages keyed as the API names the fields."""
    errors = {("projects" if name == "tenant_ids" else name): [str(m) for m in messages]
              for name, messages in form.errors.items()}  # fmt: skip
    return errors
