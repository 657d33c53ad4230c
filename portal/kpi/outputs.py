"""The same aggregates for every output: the page's tables, the charts and the CSV files.

Every figure passes through `shown` (counts from 1 to 4 become "< 5").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.formatting import format_date
from portal.kpi.charts import BarChart, bar_chart
from portal.kpi.services import ENTRY_KINDS, Report
from portal.kpi.suppression import AT_LEAST, is_suppressed, series_shown, share, shown
from portal.kpi.targets import MEASURES, Target

KIND_LABELS = {"opportunity": _l("Opportunities"), "training": _l("Training"), "event": _l("Events")}
NO_TARGET = _l("no target set")
NOT_COUNTED = _l("not counted by the portal")
CSV_HEADER = (_l("Section"), _l("Indicator"), _l("Month"), _l("Count"), _l("Target"), _l("Share of target"))


def month_label(month: str) -> str:
    year, number = map(int, month.split("-"))
    return format_date(date(year, number, 1), "MMM yyyy")


def period_text(report: Report) -> str:
    end = format_date(report.period.end, "medium")
    if report.period.start is None:
        return str(_l("up to %(end)s", end=end))
    return str(_l("from %(start)s to %(end)s", start=format_date(report.period.start, "medium"), end=end))


def summary_shown(summary: dict[str, int]) -> dict[str, tuple[str, bool]]:
    """Each summary count as shown, and whether it is hidden.

    Completed placements include the hired ones: with both shown, their difference (completed
    without hiring) would give back a count from 1 to 4; then the hired count is hidden too, as "≥ 5"."""
    texts = {key: (shown(count), is_suppressed(count)) for key, count in summary.items()}
    completed, hired = summary.get("internships_completed", 0), summary.get("internships_hired", 0)
    both_shown = not (is_suppressed(completed) or is_suppressed(hired)) and hired > 0
    if both_shown and is_suppressed(completed - hired):
        texts["internships_hired"] = (AT_LEAST, True)
    return texts


def _share(count: int, hidden: bool, target: Target) -> str:
    return "" if hidden else share(count, target.low)


def summary_rows(report: Report, locale: str) -> list[dict[str, Any]]:
    """One row per count: label, shown value, and its targets ("no target set" when none)."""
    rows = []
    texts = summary_shown(report.summary)
    for key, label in MEASURES.items():
        count = report.summary[key]
        text, hidden = texts[key]
        targets = report.targets_for(key)
        rows.append(
            {
                "key": key,
                "label": str(label),
                "count": text,
                "targets": [
                    {"label": t.text(locale), "figure": t.figure, "share": _share(count, hidden, t)} for t in targets
                ],
            }
        )
    return rows


def started_texts(report: Report) -> list[str]:
    """Placements started month by month, protected as a series (its total is in the summary)."""
    return [text for text, _hidden in series_shown([report.started_by_month.get(m, 0) for m in report.months])]


def entries_table(report: Report) -> list[dict[str, Any]]:
    """Month by month, entries published by kind, the month's total, and the placements started."""
    table = []
    for month, started in zip(report.months, started_texts(report), strict=True):
        kinds = report.entries_by_month.get(month, Counter())
        table.append(
            {
                "month": month_label(month),
                "kinds": [shown(kinds.get(kind, 0)) for kind in ENTRY_KINDS],
                "total": shown(sum(kinds.values())),
                "started": started,
            }
        )
    return table


def charts(report: Report) -> list[BarChart]:
    months = report.months
    entries = [(month_label(m), sum(report.entries_by_month.get(m, {}).values())) for m in months]
    started = [(month_label(m), report.started_by_month.get(m, 0)) for m in months]
    where = period_text(report)
    return [
        bar_chart(
            "chart-entries",
            str(_l("Entries published per month")),
            str(
                _l(
                    "Bar chart, %(where)s: entries published each month. The same figures are in the table "
                    "below; counts from 1 to 4 are shown as “< 5”.",
                    where=where,
                )
            ),  # fmt: skip
            entries,
        ),
        bar_chart(
            "chart-started",
            str(_l("Internship placements started per month")),
            str(
                _l(
                    "Bar chart, %(where)s: internship placements started each month, as partners recorded them. "
                    "The same figures are in the table below; counts from 1 to 4 are shown as “< 5”.",
                    where=where,
                )
            ),  # fmt: skip
            started,
            complementary=True,
        ),
    ]


def _target_cells(count: int, hidden: bool, targets: list[Target], locale: str) -> list[tuple[str, str]]:
    if not targets:
        return [(str(NO_TARGET), "")]
    return [(f"{t.text(locale)} ({t.figure})", _share(count, hidden, t)) for t in targets]


def csv_rows(report: Report, locale: str) -> Iterator[list[str]]:
    """The CSV: the period, the summary with targets, targets the portal does not count, and the
    month-by-month figures."""
    section = str(_l("Period"))
    yield [section, period_text(report), "", "", "", ""]
    section = str(_l("Summary"))
    texts = summary_shown(report.summary)
    for key, label in MEASURES.items():
        count = report.summary[key]
        text, hidden = texts[key]
        for target, reached in _target_cells(count, hidden, report.targets_for(key), locale):
            yield [section, str(label), "", text, target, reached]
    for unmeasured in report.unmeasured_targets:
        yield [str(_l("Targets")), f"{unmeasured.text(locale)} ({unmeasured.figure})", "", str(NOT_COUNTED), "", ""]
    for month, started in zip(report.months, started_texts(report), strict=True):
        kinds = report.entries_by_month.get(month, Counter())
        for kind in ENTRY_KINDS:
            yield [str(_l("Entries published")), str(KIND_LABELS[kind]), month, shown(kinds.get(kind, 0)), "", ""]
        yield [str(_l("Internship placements started")), "", month, started, "", ""]


def csv_header() -> list[str]:
    return [str(label) for label in CSV_HEADER]
