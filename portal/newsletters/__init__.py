"""Project newsletters: subscriptions, composing, delivery, archive and feed.

The pages live under each project's space (/<tenant>/newsletter/...), so their views are
registered on the tenant_site blueprint; this blueprint only carries the templates.
"""
from flask import Blueprint

bp = Blueprint("newsletters", __name__, template_folder="templates")
