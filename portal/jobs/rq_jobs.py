"""Functions RQ workers import: `rq worker crocevia-jobs` runs them with the app from the environment."""

from __future__ import annotations


def run_job(name: str) -> str:
    from portal import create_app
    from portal.jobs.schedule import run_named

    app = create_app()
    with app.app_context():
        return run_named(name).summary
