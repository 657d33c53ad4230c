"""A project's targets, as data: the [targets] section of tenant.toml.

Only what the project's own seed states (each one traced in sources.toml). A target is a table:

    [targets.users_placed]
    label = { it = "…", en = "…" }   # the target as the seed words it
    min = 30                          # or `value = 44` for a single figure
    max = 50
    measure = "internships_started"   # optional: the portal count it is compared with

A target without `measure` is shown as "not counted by the portal"; an indicator without a
target shows "no target set". Validation errors stop `tenants sync` for that folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

# The counts a target may be compared with (keys of portal.kpi.services.Report.summary).
MEASURES = {
    "entries_published": _l("Entries published"),
    "internships_open": _l("Internship offers open"),
    "internships_started": _l("Internship placements started"),
    "internships_completed": _l("Internship placements completed"),
    "internships_hired": _l("Placements ended in hiring"),
    "internships_interrupted": _l("Internship placements interrupted"),
    "interests": _l("Expressions of interest received"),
    "subscribers": _l("Newsletter subscribers"),
    "issues_sent": _l("Newsletter issues sent"),
    "alerts_active": _l("Search alerts active"),
}


@dataclass(frozen=True)
class Target:
    key: str
    label: dict[str, str]
    low: int
    high: int
    measure: str | None

    def text(self, locale: str) -> str:
        return self.label.get(locale) or self.label.get("it") or self.key

    @property
    def figure(self) -> str:
        """ "44", or "30–50" for a range."""
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def target_problems(targets: Any) -> list[str]:
    """What is wrong with a [targets] section (empty: nothing)."""
    if not isinstance(targets, dict):
        return ["[targets] must be a table of targets"]
    problems = []
    for key, target in targets.items():
        where = f"[targets.{key}]"
        if not isinstance(target, dict):
            problems.append(f"{where} must be a table")
            continue
        label = target.get("label")
        if not isinstance(label, dict) or not label.get("it"):
            problems.append(f"{where} needs a label with an 'it' text")
        figures = [target.get(name) for name in ("value", "min", "max") if name in target]
        if not figures or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in figures):
            problems.append(f"{where} needs `value`, or `min` and `max`, as whole numbers above 0")
        elif "value" not in target and not ("min" in target and "max" in target and target["min"] <= target["max"]):
            problems.append(f"{where}: give `value`, or both `min` and `max` with min <= max")
        if target.get("measure") is not None and target.get("measure") not in MEASURES:
            problems.append(f"{where}: measure must be one of {', '.join(MEASURES)}")
    return problems


def targets_of(tenant: Any) -> list[Target]:
    """The tenant's targets in tenant.toml order; a malformed one is left out, never an error."""
    found = []
    for key, raw in ((getattr(tenant, "targets", None) or {}) if tenant is not None else {}).items():
        if target_problems({key: raw}):
            continue
        low = int(raw.get("min", raw.get("value", 0)))
        high = int(raw.get("max", raw.get("value", low)))
        found.append(Target(key, dict(raw["label"]), low, high, raw.get("measure")))
    return found
