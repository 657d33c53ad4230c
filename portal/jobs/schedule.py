"""Running periodic jobs when they are due, once across every host."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.claims import worker_id
from portal.database import rowcount
from portal.extensions import db
from portal.jobs.catalogue import BY_NAME, JOBS, PeriodicJob
from portal.models import JobSchedule
from portal.models.base import utcnow

log = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    name: str
    ok: bool
    summary: str


def _ensure_rows(now: datetime) -> None:
    known = set(db.session.scalars(select(JobSchedule.name)))
    for job in JOBS:
        if job.name not in known:
            try:
                with db.session.begin_nested():
                    db.session.add(JobSchedule(name=job.name, next_run_at=now))
            except IntegrityError:  # another host added it at the same moment
                pass
    db.session.commit()


def _claim(job: PeriodicJob, now: datetime, worker: str) -> bool:
    """Move the job's next run forward; True only for the one caller whose UPDATE matched."""
    result = db.session.execute(
        update(JobSchedule)
        .where(JobSchedule.name == job.name, JobSchedule.next_run_at <= now)
        .values(next_run_at=now + job.every, last_started_at=now, claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def run_job(job: PeriodicJob) -> JobOutcome:
    """Run one job now (its own work is claim-safe) and record the outcome."""
    try:
        summary, ok = job.function()(), True
    except Exception as exc:  # one failing job must not stop the others
        log.exception("job %s failed", job.name)
        db.session.rollback()
        summary, ok = f"failed: {type(exc).__name__}: {exc}"[:500], False
    db.session.execute(
        update(JobSchedule)
        .where(JobSchedule.name == job.name)
        .values(last_finished_at=utcnow(), last_result=summary)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return JobOutcome(job.name, ok, summary)


def run_due(now: datetime | None = None) -> list[JobOutcome]:
    """Run every job whose time has come and that no other host claimed first."""
    now = now or utcnow()
    _ensure_rows(now)
    worker = worker_id()
    return [run_job(job) for job in JOBS if _claim(job, now, worker)]


def run_named(name: str) -> JobOutcome:
    """Run one job by name at once (an operator's `jobs run NAME`, or a wake-up)."""
    _ensure_rows(utcnow())
    return run_job(BY_NAME[name])


def schedule_rows() -> list[JobSchedule]:
    _ensure_rows(utcnow())
    return list(db.session.scalars(select(JobSchedule).order_by(JobSchedule.name)))
