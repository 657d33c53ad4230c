"""Labels and URLs the directory templates need (registered app-wide: tenant pages use them too)."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l

from portal.directory import bp
from portal.directory import vocabulary as voc
from portal.directory.kinds import detail_url
from portal.models import Opportunity, TrainingOffer
from portal.projects import short_names
from portal.templating import current_locale
from portal.vocabularies import ateco

FACET_TITLES = {
    "kind": _l("Type"),
    "opportunity_type": _l("Type of opportunity"),
    "allowance": _l("Allowance or pay"),
    "deadline": _l("Closing soon"),
    "province": _l("Province"),
    "comune": _l("Municipality"),
    "sector": _l("Sector"),
    "tenants": _l("Project"),
    "targets": _l("Who it is for"),
    "cost": _l("Cost"),
    "status": _l("Deadline"),
}


@bp.app_template_global()
def kind_label(kind: str) -> str:
    return str(voc.KINDS.get(kind, kind))


@bp.app_template_global()
def kind_singular(kind: str) -> str:
    return str(voc.KIND_SINGULAR.get(kind, kind))


@bp.app_template_global()
def facet_title(name: str) -> str:
    return str(FACET_TITLES.get(name, name))


@bp.app_template_global()
def facet_label(name: str, value: str) -> str:

    if name == "tenants":
        if "tenant_short_names" not in g:
            g.tenant_short_names = short_names()
        return g.tenant_short_names.get(value, value)
    if name == "province":
        return voc.PROVINCES.get(value, value)
    if name == "sector":
        return ateco.label(value, current_locale())
    tables = {
        "kind": voc.KINDS,
        "targets": voc.TARGET_GROUPS,
        "cost": voc.COST,
        "status": voc.STATUS,
        "opportunity_type": voc.OPPORTUNITY_GROUPS,
        "allowance": voc.ALLOWANCE,
        "deadline": voc.DEADLINE_WINDOWS,
    }
    return str(tables.get(name, {}).get(value, value))


@bp.app_template_global()
def vocabulary_label(table: str, value: str) -> str:
    return str(getattr(voc, table).get(value, value))


@bp.app_template_global()
def entry_facts(entry: Any) -> list[tuple[str, str]]:
    from portal.directory.facts import opportunity_facts, place_facts, training_facts

    if isinstance(entry, Opportunity):
        return place_facts(entry) + opportunity_facts(entry)
    if isinstance(entry, TrainingOffer):
        return place_facts(entry) + training_facts(entry)
    return place_facts(entry)


@bp.app_template_global()
def event_when(entry: Any) -> str:
    from portal.directory.facts import when

    return when(entry.starts_at, entry.ends_at) if entry.starts_at else ""


AUDIT_ACTIONS = {
    "create": _l("created"),
    "update": _l("changed"),
    "propose": _l("change proposed"),
    "approve": _l("approved and published"),
    "reject": _l("rejected"),
    "withdraw": _l("withdrawn"),
    "draft": _l("draft started"),
    "update-draft": _l("draft saved"),
    "close-early": _l("closed early: places filled"),
    "duplicate": _l("copied from an earlier entry"),
    "add-editor": _l("editor added"),
    "approve-link": _l("accepted in a project"),
    "decline-link": _l("declined by a project"),
}


@bp.app_template_global()
def audit_action(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


AUDIT_SENTENCES = {
    "create": _l("%(who)s created it on %(when)s."),
    "update": _l("%(who)s changed it on %(when)s."),
    "propose": _l("%(who)s proposed a change on %(when)s."),
    "approve": _l("%(who)s approved and published it on %(when)s."),
    "reject": _l("%(who)s did not approve it on %(when)s."),
    "withdraw": _l("%(who)s withdrew it on %(when)s."),
    "draft": _l("%(who)s started it as a draft on %(when)s."),
    "update-draft": _l("%(who)s saved the draft on %(when)s."),
    "close-early": _l("%(who)s closed it early, places filled, on %(when)s."),
    "duplicate": _l("%(who)s made it as a copy of an earlier entry on %(when)s."),
    "add-editor": _l("%(who)s added an editor on %(when)s."),
    "approve-link": _l("%(who)s accepted it in a project on %(when)s."),
    "decline-link": _l("%(who)s declined it for a project on %(when)s."),
}


@bp.app_template_global()
def history_sentence(event: Any, who: str | None) -> str:
    """One line of a row's history as a sentence: who did what, when (by name)."""
    from portal.formatting import format_datetime

    sentence = AUDIT_SENTENCES.get(event.action)
    who_text = who or str(_l("The portal"))
    when = format_datetime(event.at, "long")
    if sentence is None:
        return f"{when} · {audit_action(event.action)}"
    return str(sentence % {"who": who_text, "when": when})


@bp.app_template_global()
def who_may_take_part(entry: Any) -> list[tuple[str, str]]:
    from portal.directory.facts import eligibility_facts

    return eligibility_facts(entry)


@bp.app_template_global()
def ateco_label(code: str) -> str:
    return ateco.label(code, current_locale())


@bp.app_template_global()
def to_complete_items(row: Any) -> list[tuple[str, str]]:
    """(field label, old value) of what an upgrade left for the row's editors to complete."""
    from portal.directory.changes import field_label
    from portal.vocabularies.legacy import old_value_label

    return [(field_label(row, name), old_value_label(str(old))) for name, old in (row.to_complete or {}).items()]


@bp.app_template_global()
def proposed_changes(row: Any) -> list[tuple[str, str, str]]:
    """(label, now, proposed) of a change waiting for review."""
    from portal.directory import changes, services

    return changes.proposed_changes(row, services.editable_data(row))


@bp.app_template_global()
def english_left_behind(row: Any) -> list[str]:
    """The fields of a change waiting for review whose Italian changes and whose English does not."""
    from portal.directory import changes, services

    return changes.english_left_behind(row, services.editable_data(row))


@bp.app_template_global()
def entry_url(kind: str, slug: str) -> str:
    return detail_url(kind, slug)


@bp.app_template_global()
def page_url(number: int) -> str:
    """The current search with another page number (filters kept)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return _this_page(args)


@bp.app_template_global()
def search_url(**overrides: str | None) -> str:
    """The current search with some arguments changed (None: removed)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args.update({k: [v] for k, v in overrides.items() if v is not None})
    for name in [k for k, v in overrides.items() if v is None]:
        args.pop(name, None)
    args.pop("page", None)
    return _this_page(args)


def _this_page(args: dict[str, Any]) -> str:
    """The current endpoint and path values with other query arguments."""
    return url_for(request.endpoint or "directory.search", **(request.view_args or {}), **args)
