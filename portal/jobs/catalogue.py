"""The periodic jobs of the portal: name, how often, what to run (a dotted path, imported
when the job runs so that this list stays cheap to import)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    target: str  # "module:function"; the function returns a one-line summary
    description: str
    # With RQ, a wake-up enqueues as many copies as this setting says (the work is claim-safe),
    # so several workers share one large job, e.g. a newsletter to thousands.
    copies_setting: str | None = None

    def function(self) -> Callable[[], str]:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "send-mail",
        timedelta(minutes=1),
        "portal.jobs.tasks:send_mail",
        "deliver the mail queue (confirmations, resets, notices), retrying failures",
    ),
    PeriodicJob(
        "newsletter-send-due",
        timedelta(minutes=1),
        "portal.jobs.tasks:newsletter_send_due",
        "start scheduled newsletter issues and send their deliveries",
        copies_setting="NEWSLETTER_SENDERS",
    ),
    PeriodicJob(
        "alerts-send-due",
        timedelta(minutes=10),
        "portal.jobs.tasks:alerts_send_due",
        "mail each due saved-search alert the entries published since its last message",
    ),
    PeriodicJob(
        "entry-notices",
        timedelta(days=1),
        "portal.jobs.tasks:entry_notices",
        "remind editors of deadlines a week ahead; one digest to each coordinator of what waits for review",
    ),
    PeriodicJob(
        "search-maintain",
        timedelta(days=1),
        "portal.jobs.tasks:search_maintain",
        "PostgreSQL search: recompute the kept documents of frequent words, so that broad searches stay fast",
    ),
    PeriodicJob(
        "purge-unconfirmed",
        timedelta(days=1),
        "portal.jobs.tasks:purge_unconfirmed",
        "delete accounts, newsletter subscriptions, alerts and company registrations never confirmed, and expired invitations",
    ),
    PeriodicJob(
        "purge-interests",
        timedelta(days=1),
        "portal.jobs.tasks:purge_interests",
        "delete expressions of interest older than INTEREST_RETENTION_DAYS",
    ),
    PeriodicJob(
        "purge-audit-details",
        timedelta(days=1),
        "portal.jobs.tasks:purge_audit_details",
        "empty the details of audit events older than AUDIT_DETAILS_RETENTION_MONTHS (the events stay)",
    ),
)
BY_NAME = {job.name: job for job in JOBS}
