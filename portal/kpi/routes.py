"""Dashboards: a project's (under its space's coordinator guard) and the network's (under the
directory's moderation guard; the service lets only admins in). Views parse the period, call the
service and render; a bad period is a clear page (422), never a 500."""

from __future__ import annotations

from flask import Response, g, render_template, request
from flask_login import current_user

from portal.csv_export import csv_response
from portal.errors import Invalid
from portal.kpi import network_bp, outputs, project_bp, services
from portal.kpi.period import Period, parse_period
from portal.kpi.services import ENTRY_KINDS, Report
from portal.templating import current_locale, render_tenant_template
from portal.timezone import rome_today

EXCEL = "excel"


def _period():
    return parse_period(request.args.get("from"), request.args.get("to"), rome_today())


def _context(report: Report | None, error: Invalid | None = None) -> dict:
    locale = current_locale()
    context = {
        "report": report,
        "period_errors": {name: str(message) for name, message in (error.fields if error else {}).items()},
        "period_error": str(error.message) if error else "",
        "raw_from": request.args.get("from", ""),
        "raw_to": request.args.get("to", ""),
        "kinds": [outputs.KIND_LABELS[kind] for kind in ENTRY_KINDS],
    }
    if report is not None:
        context.update(
            summary=outputs.summary_rows(report, locale),
            entries=outputs.entries_table(report),
            charts=outputs.charts(report),
            period_text=outputs.period_text(report),
            unmeasured=[(t.text(locale), t.figure) for t in report.unmeasured_targets],
            query=report.period.query_args(),
        )
    return context


def _project(period: Period) -> Report:
    return services.project_report(current_user, g.tenant, period)


def _network(period: Period) -> Report:
    return services.network_report(current_user, period)


def _dashboard(build, render, **extra):
    try:
        period = _period()
    except Invalid as exc:
        return render(**_context(None, exc), **extra), 422
    return render(**_context(build(period)), **extra)


def _csv(build, name: str, flavour: str | None) -> Response:
    report = build(_period())  # a bad period: Invalid, the 422 page
    excel = flavour == EXCEL
    return csv_response(
        f"{name}-kpi{'-excel' if excel else ''}.csv",
        outputs.csv_header(),
        outputs.csv_rows(report, current_locale()),
        delimiter=";" if excel else ",",
        bom=excel,
    )


@project_bp.get("/")
def dashboard():
    return _dashboard(
        _project,
        lambda **context: render_tenant_template("kpi/dashboard.html", **context),
        csv_endpoints=("tenant_site.manage.kpi.download", "tenant_site.manage.kpi.download_excel"),
    )


@project_bp.get("/kpi.csv")
def download():
    return _csv(_project, g.tenant.slug, None)


@project_bp.get("/kpi-excel.csv")
def download_excel():
    return _csv(_project, g.tenant.slug, EXCEL)


@network_bp.get("/")
def network_dashboard():
    return _dashboard(
        _network,
        lambda **context: render_template("kpi/dashboard.html", **context),
        csv_endpoints=("directory.moderation.kpi.network_download", "directory.moderation.kpi.network_download_excel"),
    )


@network_bp.get("/kpi.csv")
def network_download():
    return _csv(_network, "crocevia", None)


@network_bp.get("/kpi-excel.csv")
def network_download_excel():
    return _csv(_network, "crocevia", EXCEL)
