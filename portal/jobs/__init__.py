"""Periodic and background jobs: one catalogue, one schedule, three ways to run them.

- `JOBS_RUNNER=thread` (embedded default): a thread of the web process runs what is due
  every few seconds (one process per installation, by file lock) and runs a job at once
  when an action wakes it (a queued mail, "send now").
- `JOBS_RUNNER=rq` (production with Redis): waking enqueues the job for `rq worker`;
  cron or a systemd timer runs `flask --app wsgi jobs run-due` every minute on any host.
- `JOBS_RUNNER=off`: only `flask --app wsgi jobs run-due` / `jobs run NAME` (and the tests).

Every job is safe to start on two hosts at once: the schedule is claimed with a
conditional UPDATE (portal/jobs/schedule.py), and the work itself claims rows.
"""
