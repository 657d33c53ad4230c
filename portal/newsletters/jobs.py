"""RQ job: the same work as `flask newsletter send-due`, in a worker on Redis."""
from __future__ import annotations


def send_due_job() -> dict:
    from portal import create_app
    from portal.newsletters.delivery import send_due

    app = create_app()
    with app.app_context():
        report = send_due()
    return {"sent": report.sent, "failed_temporary": report.failed_temporary,
            "failed_permanent": report.failed_permanent, "issues_finished": report.issues_finished}
