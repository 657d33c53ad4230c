"""Projects start and end: their period, status and funding (tenant.toml [lifecycle] and [funding]),
shown on each space and on the hub; an ended project's space stays online as an archive while its
newsletter composer and partner publishing close (the services call `require_not_ended`).

The blueprint has no routes: it carries the templates (period, status, funding and the EU
visibility block) and the template globals that read the data."""

from flask import Blueprint

bp = Blueprint("lifecycle", __name__, template_folder="templates")

from portal.lifecycle import template_helpers  # noqa: E402,F401
