"""A project's life cycle and funding, as tenant.toml states them ([lifecycle], [funding]).

    [lifecycle]
    start = 2020-07-16        # TOML dates; either may be left out when the seed gives none
    end = 2021-12-31
    status = "ended"          # optional: planned, running or ended, when the dates do not say it

    [funding]
    programme = "PON Inclusione"
    funder = "Ministero del Lavoro e delle Politiche Sociali"
    cup = "J51B21000010006"   # the Codice Unico di Progetto, when the project has one
    eu_cohesion_funds = true  # EU cohesion funds (Reg. (EU) 2021/1060): the emblem and statement of art. 47/50

The status comes from the dates (planned before the start, ended after the end day, running in
between), unless `status` says otherwise; with no dates and no status there is no status and the
pages say nothing about it. `validate_*` check the parsed TOML when a folder is loaded and return
what is stored (dates as ISO strings); a problem is a ValueError naming the key.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.errors import ProjectEnded
from portal.tenant_sections import iso_date, refuse_unknown_keys
from portal.timezone import rome_today


class Status(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    ENDED = "ended"


STATUS_LABELS = {Status.PLANNED: _l("Planned"), Status.RUNNING: _l("Running"), Status.ENDED: _l("Ended")}
LIFECYCLE_KEYS = {"start", "end", "status"}
FUNDING_KEYS = {"programme", "funder", "cup", "eu_cohesion_funds"}
# The CUP (Codice Unico di Progetto, law 3/2003 art. 11): 15 letters and digits.
CUP = re.compile(r"^[A-Z0-9]{15}$")


@dataclass(frozen=True)
class Lifecycle:
    start: date | None = None
    end: date | None = None
    override: Status | None = None

    def status(self, today: date | None = None) -> Status | None:
        if self.override is not None:
            return self.override
        today = today or rome_today()
        if self.start and today < self.start:
            return Status.PLANNED
        if self.end and today > self.end:
            return Status.ENDED
        if self.start or self.end:
            return Status.RUNNING
        return None

    def is_ended(self, today: date | None = None) -> bool:
        return self.status(today) == Status.ENDED


def lifecycle_of(tenant: Any) -> Lifecycle:
    """The stored [lifecycle] of a tenant (validated by the sync)."""
    stored = getattr(tenant, "lifecycle", None) or {}
    return Lifecycle(
        start=date.fromisoformat(stored["start"]) if stored.get("start") else None,
        end=date.fromisoformat(stored["end"]) if stored.get("end") else None,
        override=Status(stored["status"]) if stored.get("status") else None,
    )


def is_ended(tenant: Any, today: date | None = None) -> bool:
    return lifecycle_of(tenant).is_ended(today)


def current_and_past(tenants: list[Any], today: date | None = None) -> tuple[list[Any], list[Any]]:
    """The projects the hub lists first (planned, running or saying nothing), and the past ones."""
    today = today or rome_today()
    past = [t for t in tenants if is_ended(t, today)]
    return [t for t in tenants if t not in past], past


def ended_message(tenant: Any, what: Any) -> Any:
    """Why an ended project refuses `what` ("new newsletter issues", ...), with its end date when known."""
    from portal.formatting import format_date

    end = lifecycle_of(tenant).end
    if end is not None:
        return _l(
            "The project %(project)s ended on %(date)s: its space stays online as an archive, but it takes no %(what)s.",
            project=tenant.short_name,
            date=format_date(end, "long"),
            what=what,
        )
    return _l(
        "The project %(project)s has ended: its space stays online as an archive, but it takes no %(what)s.",
        project=tenant.short_name,
        what=what,
    )


def require_not_ended(tenant: Any, what: Any, field: str | None = None, today: date | None = None) -> None:
    """ProjectEnded (with the reason, on `field` for forms) when the project has ended."""
    if is_ended(tenant, today):
        message = ended_message(tenant, what)
        raise ProjectEnded(message, fields={field: message} if field else None)


def validate_lifecycle(raw: Any) -> dict[str, str]:
    """[lifecycle] as stored: ISO dates, a known status; start not after end."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("[lifecycle] must be a table (start, end, status)")
    refuse_unknown_keys("lifecycle", raw, LIFECYCLE_KEYS)
    stored = {key: iso_date("lifecycle", key, raw[key], "2021-12-31") for key in ("start", "end") if key in raw}
    if "status" in raw:
        if raw["status"] not in {s.value for s in Status}:
            raise ValueError(
                f"[lifecycle] status must be one of {', '.join(s.value for s in Status)}, not {raw['status']!r}"
            )
        stored["status"] = raw["status"]
    if "start" in stored and "end" in stored and stored["start"] > stored["end"]:
        raise ValueError(f"[lifecycle] start {stored['start']} is after end {stored['end']}")
    return stored


def validate_funding(raw: Any) -> dict[str, Any]:
    """[funding] as stored: texts that are texts, a well-formed CUP, a true/false EU flag."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("[funding] must be a table (programme, funder, cup, eu_cohesion_funds)")
    refuse_unknown_keys("funding", raw, FUNDING_KEYS)
    stored: dict[str, Any] = {}
    for key in ("programme", "funder"):
        if key in raw:
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise ValueError(f"[funding] {key} must be a non-empty text")
            stored[key] = raw[key].strip()
    if "cup" in raw:
        if not isinstance(raw["cup"], str) or not CUP.match(raw["cup"]):
            raise ValueError(f"[funding] cup must be 15 capital letters and digits (a CUP code), not {raw['cup']!r}")
        stored["cup"] = raw["cup"]
    if "eu_cohesion_funds" in raw:
        if not isinstance(raw["eu_cohesion_funds"], bool):
            raise ValueError("[funding] eu_cohesion_funds must be true or false")
        stored["eu_cohesion_funds"] = raw["eu_cohesion_funds"]
    return stored


@dataclass(frozen=True)
class Funding:
    programme: str = ""
    funder: str = ""
    cup: str = ""
    eu_cohesion_funds: bool = False

    def __bool__(self) -> bool:
        return bool(self.programme or self.funder or self.cup or self.eu_cohesion_funds)


def funding_of(tenant: Any) -> Funding:
    stored = getattr(tenant, "funding", None) or {}
    return Funding(
        programme=stored.get("programme", ""),
        funder=stored.get("funder", ""),
        cup=stored.get("cup", ""),
        eu_cohesion_funds=bool(stored.get("eu_cohesion_funds")),
    )
