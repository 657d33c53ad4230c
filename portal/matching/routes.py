"""Thin views: parse the answers, call portal.matching.results, render. Nothing is stored."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import exists, select
from werkzeug.exceptions import RequestEntityTooLarge

from portal.errors import require
from portal.extensions import csrf, db, limiter, login_manager
from portal.matching import bp, workers_bp
from portal.matching.answers import QUESTIONS, BadAnswers, from_form, parse, refill
from portal.matching.results import PROFILE_KINDS, aggregate, answer, kind_labels, open_total
from portal.models import Membership
from portal.projects import all_projects
from portal.throttle import config_limit
from portal.timezone import rome_today
from portal.vocabularies.ateco import sections
from portal.vocabularies.places import provinces

MAX_BODY = 16 * 1024
TOO_LARGE = _l(
    "Your answers are too long to be read. Shorten the comune's name, or choose fewer sectors, and try again."
)
TOO_MANY = _l("You asked for the list many times in a short while. Wait a minute, then try again.")


def _form_context(values: dict | None = None) -> dict:
    return {"provinces": provinces(), "sectors": sections(), "questions": QUESTIONS, "values": values or {}}


@bp.get("/cosa-fa-per-me")
def form():
    """The guided form: the same page for everyone (no answers in it, so it stays cacheable)."""
    return render_template("matching/form.html", **_form_context())


def _problem(message: str, status: int = 400):
    response = jsonify({"error": message})
    response.status_code = status
    return response


# CSRF-exempt on purpose: like a search, it only reads public entries and changes nothing, and
# a token would need a session cookie that anonymous visitors must not get. A cross-site page
# cannot send it JSON without a CORS preflight, which the portal does not answer.
@bp.get("/cosa-fa-per-me/risultati")
def results_reloaded():
    """A bookmark or reload of a result page posted without JavaScript: back to the form (nothing kept)."""
    return redirect(url_for("matching.form"), code=303)


def _refused(message: str, status: int, values: dict | None = None):
    """A refused request, explained in the person's language: JSON for the page's script, else the
    form again (refilled with what was sent, when it could be read)."""
    if request.is_json:
        return _problem(message, status), status
    return render_template("matching/form.html", error=message, **_form_context(values)), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """Bodies over the app's MAX_CONTENT_LENGTH (or MAX_BODY): what happened and what to do."""
    return _refused(str(TOO_LARGE), 413)


@bp.errorhandler(429)
def too_many(_error):
    """Over RATELIMIT_MATCHING for this client address."""
    body, status = _refused(str(TOO_MANY), 429)
    return body, status, {"Retry-After": "60"}


@bp.post("/cosa-fa-per-me/risultati")
@csrf.exempt
@limiter.limit(config_limit("RATELIMIT_MATCHING"))
def results():
    """The answers (JSON from the page's script, or the form posted without JavaScript) → results."""
    wants_json = request.is_json
    if (request.content_length or 0) > MAX_BODY:
        raise RequestEntityTooLarge()
    raw = request.get_json(silent=True) if wants_json else from_form(request.form)
    values = {} if wants_json else refill(raw)  # the form without JavaScript shows the answers again
    try:
        parsed = parse(raw)
    except BadAnswers as problem:
        return _refused(str(problem), 400, values)
    found = answer(parsed.profile, rome_today(), parsed.problems)
    if wants_json:
        body = found.as_json()
        body["html"] = render_template("matching/_results.html", found=found)
        return jsonify(body)
    return render_template("matching/form.html", found=found, **_form_context(values))


# --- project workers -------------------------------------------------------------------------


def is_project_worker(user) -> bool:
    """A coordinator or member of any project, or a platform admin."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    query = select(exists().where(Membership.user_id == user.id)).execution_options(all_tenants=True)
    return bool(db.session.scalar(query))


@workers_bp.before_request
def require_a_project_worker():
    """Every URL under /cosa-fa-per-me/operatori/: signed in, and working for a project."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(is_project_worker(current_user))
    return None


@workers_bp.get("/")
def index():
    """How many synthetic profiles of each kind every open entry fits (from the entries' criteria)."""
    sizes, rows = aggregate(rome_today())
    return render_template("matching/workers.html", sizes=sizes, rows=rows, labels=kind_labels(),
                           kinds=[k for k, *_rest in PROFILE_KINDS], projects=all_projects(),
                           open_total=open_total(rome_today()))  # fmt: skip
