""" "Cosa fa per me?" / "What suits me?": open entries ranked for a person's answers, with the
reasons, keeping nothing.

matching              /cosa-fa-per-me          the guided form (a cacheable page: no answers in it)
                      POST /cosa-fa-per-me/risultati   the answers (JSON from the page's script, or the
                                               form without JavaScript) → ranked results; stateless
└── workers           /cosa-fa-per-me/operatori/  ONE guard: signed in, and a coordinator or member of a
                                               project (or an admin): the aggregate over synthetic profiles

The answers live in the page's URL fragment and sessionStorage (portal/static/js/matching.js),
never in a query string; the server keeps nothing (no rows, no log line with them, no cache keyed
by them). The rules are in scoring.py, the per-process columnar copy in criteria.py.
"""

from flask import Blueprint

bp = Blueprint("matching", __name__, template_folder="templates")
workers_bp = Blueprint("workers", __name__, url_prefix="/cosa-fa-per-me/operatori")

from portal.matching import routes  # noqa: E402,F401

bp.register_blueprint(workers_bp)
