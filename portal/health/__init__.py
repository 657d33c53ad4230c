"""/healthz (the process answers) and /readyz (what it depends on answers), for load balancers,
container orchestrators and the operator."""

from flask import Blueprint

bp = Blueprint("health", __name__)

from portal.health import routes  # noqa: E402,F401
