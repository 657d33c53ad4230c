"""What templates need from the KPI package: the suppression filter, and which entries take placements."""

from __future__ import annotations

from typing import Any

from portal.kpi import outcomes_bp, project_bp
from portal.kpi.suppression import shown
from portal.vocabularies.internships import INTERNSHIPS


@project_bp.app_template_filter("kpi_shown")
def kpi_shown(count: int) -> str:
    return shown(int(count or 0))


@outcomes_bp.app_template_global()
def records_placements(entry: Any) -> bool:
    """An internship offer: its partners record placements and their outcomes."""
    return entry.kind == "opportunity" and getattr(entry, "opportunity_type", None) in INTERNSHIPS
