"""The AgID accessibility statement ("dichiarazione di accessibilità") of each site, as data.

The hub's statement is portal/hub/content/accessibility.toml; each project space's is its
tenant.toml [accessibility] section, whose keys replace the hub's and whose non-accessible
content is added to the hub's (the spaces run on the same portal, so its limits apply to them too):

    [accessibility]
    status = "partially-compliant"      # compliant, partially-compliant, not-compliant
    statement_date = 2026-11-22         # when the statement was first written
    reviewed_on = 2026-11-22            # its last yearly review
    method = "self-assessment"          # self-assessment or third-party

    [[accessibility.non_accessible]]
    content = { it = "…", en = "…" }
    reason = "non-compliance"           # non-compliance, disproportionate-burden, out-of-scope
    explanation = { it = "…", en = "…" }

The law (Legge 4/2004 art. 3-quater; AgID guidelines, par. 4.2) asks for the statement to be
reviewed every year by 23 September. `Statement.overdue(today)` is true when the last review does
not fall in the twelve months up to the most recent 23 September that has passed: a review on
1 September 2026 covers the 2026 deadline, so it is overdue from 24 September 2027 on.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.tenant_sections import iso_date, refuse_unknown_keys
from portal.timezone import rome_today

HUB_STATEMENT = Path(__file__).resolve().parent.parent / "hub" / "content" / "accessibility.toml"
AGID_FORM_URL = "https://form.agid.gov.it/"
DEADLINE_MONTH, DEADLINE_DAY = 9, 23

STATUSES = {
    "compliant": _l("fully compliant"),
    "partially-compliant": _l("partially compliant"),
    "not-compliant": _l("not compliant"),
}
METHODS = {
    "self-assessment": _l("a self-assessment by the team that runs the site"),
    "third-party": _l("an assessment by an independent third party"),
}
REASONS = {
    "non-compliance": _l("Non-compliance with Law 4/2004"),
    "disproportionate-burden": _l("Disproportionate burden"),
    "out-of-scope": _l("Content outside the scope of the law"),
}
KEYS = {"status", "statement_date", "reviewed_on", "method", "non_accessible"}
ITEM_KEYS = {"content", "reason", "explanation"}


def _localised(where: str, value: Any, required: bool) -> dict[str, str] | None:
    if value is None and not required:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("it"), str) or not value["it"].strip():
        raise ValueError(f'{where} needs at least an \'it\' text, like {{ it = "…", en = "…" }}')
    return {lang: str(text) for lang, text in value.items() if lang in ("it", "en")}


def _choice(key: str, value: Any, choices: dict) -> str:
    if value not in choices:
        raise ValueError(f"[accessibility] {key} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def validate_accessibility(raw: Any) -> dict[str, Any]:
    """[accessibility] (or the hub's file) as stored: known keys, ISO dates, known statuses and reasons."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("[accessibility] must be a table")
    refuse_unknown_keys("accessibility", raw, KEYS)
    stored: dict[str, Any] = {}
    if "status" in raw:
        stored["status"] = _choice("status", raw["status"], STATUSES)
    if "method" in raw:
        stored["method"] = _choice("method", raw["method"], METHODS)
    for key in ("statement_date", "reviewed_on"):
        if key in raw:
            stored[key] = iso_date("accessibility", key, raw[key], "2026-09-01")
    if "statement_date" in stored and "reviewed_on" in stored and stored["reviewed_on"] < stored["statement_date"]:
        raise ValueError(
            f"[accessibility] reviewed_on {stored['reviewed_on']} is before statement_date {stored['statement_date']}"
        )
    items = []
    for number, item in enumerate(raw.get("non_accessible", []), start=1):
        where = f"[[accessibility.non_accessible]] #{number}"
        if not isinstance(item, dict) or set(item) - ITEM_KEYS:
            raise ValueError(f"{where} takes only {sorted(ITEM_KEYS)}")
        items.append({
            "content": _localised(f"{where} content", item.get("content"), True),
            "reason": _choice(f"non_accessible #{number} reason", item.get("reason"), REASONS),
            "explanation": _localised(f"{where} explanation", item.get("explanation"), False) or {},
        })  # fmt: skip
    if "non_accessible" in raw:
        stored["non_accessible"] = items
    return stored


@lru_cache(maxsize=1)
def hub_default() -> dict[str, Any]:
    """The hub's statement (validated; complete: every key a space may leave out)."""
    data = validate_accessibility(tomllib.loads(HUB_STATEMENT.read_text(encoding="utf-8")))
    missing = sorted({"status", "statement_date", "reviewed_on", "method"} - set(data))
    if missing:
        raise ValueError(f"{HUB_STATEMENT}: missing {missing}")
    return data


def last_deadline(today: date) -> date:
    """The most recent 23 September that has passed (the deadline day itself still counts as in time)."""
    this_year = date(today.year, DEADLINE_MONTH, DEADLINE_DAY)
    return this_year if today > this_year else date(today.year - 1, DEADLINE_MONTH, DEADLINE_DAY)


def next_deadline(today: date) -> date:
    this_year = date(today.year, DEADLINE_MONTH, DEADLINE_DAY)
    return this_year if today <= this_year else date(today.year + 1, DEADLINE_MONTH, DEADLINE_DAY)


@dataclass(frozen=True)
class NonAccessible:
    content: dict[str, str]
    reason: str
    explanation: dict[str, str] = field(default_factory=dict)

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])


@dataclass(frozen=True)
class Statement:
    status: str
    statement_date: date
    reviewed_on: date
    method: str
    non_accessible: list[NonAccessible]

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def method_label(self) -> str:
        return str(METHODS[self.method])

    def overdue(self, today: date | None = None) -> bool:
        """The last review is older than the twelve months up to the most recent 23 September."""
        deadline = last_deadline(today or rome_today())
        return self.reviewed_on <= date(deadline.year - 1, DEADLINE_MONTH, DEADLINE_DAY)

    def missed_deadline(self, today: date | None = None) -> date:
        return last_deadline(today or rome_today())

    def due_by(self, today: date | None = None) -> date:
        return next_deadline(today or rome_today())


def statement_for(tenant: Any | None) -> Statement:
    """The statement of a project space (its [accessibility] over the hub's), or the hub's."""
    base = hub_default()
    own = (getattr(tenant, "accessibility", None) or {}) if tenant is not None else {}
    merged = {**base, **{k: v for k, v in own.items() if k != "non_accessible"}}
    if "statement_date" in own and "reviewed_on" not in own:  # a space's own statement, never reviewed yet
        merged["reviewed_on"] = own["statement_date"]
    items = list(base.get("non_accessible", [])) + list(own.get("non_accessible", []))
    reviewed = merged.get("reviewed_on") or merged["statement_date"]
    return Statement(
        status=merged["status"],
        statement_date=date.fromisoformat(merged["statement_date"]),
        reviewed_on=date.fromisoformat(reviewed),
        method=merged["method"],
        non_accessible=[NonAccessible(i["content"], i["reason"], i.get("explanation") or {}) for i in items],
    )
