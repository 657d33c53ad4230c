"""Saved-search alerts: "Ricevi avvisi" on every search and listing, double opt-in, a mail
when something new matches (`alerts send-due`), one page per address to manage them, a
private Atom feed per alert. Network-wide (/alerts/...), like the directory it watches."""

from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/alerts", template_folder="templates")


@bp.app_template_global()
def page_query_string() -> str:
    """The search of the page an alert is offered on (the corrected words on a corrected page)."""
    from urllib.parse import urlencode

    from portal.directory.search import page_args

    return urlencode(page_args(), doseq=True)


from portal.alerts import routes  # noqa: E402,F401
