"""后台任务 — the periodic jobs that ``zhifa worker`` runs, and the leases that keep each one single.

Apps register their jobs in ``AppConfig.ready()``::

    register_job("ledger_sign", 60, ledger_sign_job, label="签名账本树头")

A job is a function without arguments that returns a short Chinese summary of what it did (shown on the
administrator's 后台任务 page) and raises when it failed. Its interval is ``every_s`` seconds unless
``ZHIFA_JOB_<NAME>_SECONDS`` says otherwise (declared in ``zhifa.core.env``).

Each job has one row in ``JobLease``. A worker runs a job only after a single ``UPDATE … WHERE`` took the row:
the job is due (``next_run_at`` has passed) and the lease is free, expired, or the worker's own. The database
decides between two workers (on SQLite the write lock, on PostgreSQL the row lock with the ``WHERE``
re-checked), so with several workers on several hosts a job never runs twice at once, and a worker that died
mid-run leaves a lease that the next one takes over once it expires. A failed run is recorded with its error
and retried after ``ZHIFA_WORKER_RETRY_SECONDS`` (doubled per consecutive failure, never later than the
interval). All times come from ``zhifa.core.clock``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, Q

from zhifa.core import clock
from zhifa.core.env import env_int
from zhifa.core.models import JobLease

logger = logging.getLogger("zhifa.worker")

#: Defaults of ``ZHIFA_WORKER_TICK_SECONDS``, ``ZHIFA_WORKER_LEASE_SECONDS``, ``ZHIFA_WORKER_RETRY_SECONDS``.
DEFAULT_TICK_S = 15
DEFAULT_LEASE_S = 1800
DEFAULT_RETRY_S = 60
ERROR_MAX_CHARS = 4000


@dataclass(frozen=True)
class Job:
    """后台任务 — one periodic job: its name, Chinese label, default interval and function."""

    name: str
    label: str
    every_s: int
    fn: Callable[[], str]
    lease_s: int | None = None

    @property
    def env_name(self) -> str:
        return f"ZHIFA_JOB_{self.name.upper()}_SECONDS"

    @property
    def interval(self) -> dt.timedelta:
        """``ZHIFA_JOB_<NAME>_SECONDS`` or the registered default (at least one second)."""
        return dt.timedelta(seconds=max(1, env_int(self.env_name, self.every_s)))

    @property
    def lease(self) -> dt.timedelta:
        """How long a run may take before another worker may take the job over."""
        seconds = self.lease_s if self.lease_s is not None else env_int("ZHIFA_WORKER_LEASE_SECONDS", 0)
        return dt.timedelta(seconds=max(1, seconds or DEFAULT_LEASE_S))


_registry: dict[str, Job] = {}


def register_job(
    name: str, every_s: int, fn: Callable[[], str], *, label: str, lease_s: int | None = None
) -> Job:
    """Add a periodic job (called from an app's ``ready()``); registering a name again replaces it."""
    if not name.isidentifier() or not name.islower():
        raise ValueError(f"job names are lower-case identifiers: {name!r}")
    job = Job(name=name, label=label, every_s=every_s, fn=fn, lease_s=lease_s)
    _registry[name] = job
    return job


def registered_jobs() -> list[Job]:
    return [_registry[name] for name in sorted(_registry)]


def job_named(name: str) -> Job | None:
    return _registry.get(name)


def new_holder() -> str:
    """A name for this worker process that no other process shares (host, process id, random part)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def retry_delay(job: Job, consecutive_failures: int) -> dt.timedelta:
    """The wait before a failed job runs again: the retry base doubled per failure, capped at the interval."""
    base = max(1, env_int("ZHIFA_WORKER_RETRY_SECONDS", DEFAULT_RETRY_S))
    seconds = base * 2 ** max(0, min(consecutive_failures - 1, 20))
    return min(dt.timedelta(seconds=seconds), job.interval)


def leases_ensure(jobs: Iterable[Job] | None = None) -> None:
    """One lease row per registered job (a new job is due at once); rows of other workers stay as they are."""
    rows = [JobLease(name=job.name) for job in (registered_jobs() if jobs is None else jobs)]
    JobLease.objects.bulk_create(rows, ignore_conflicts=True)


def lease_claim(job: Job, holder: str, *, now: dt.datetime | None = None) -> bool:
    """Take the job's lease if it is due and free (or expired, or ours): one atomic UPDATE; True when taken."""
    now = now or clock.now()
    taken = (
        JobLease.objects.filter(name=job.name)
        .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
        .filter(Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + job.lease, last_started_at=now)
    )
    return taken == 1


def lease_release(
    job: Job,
    holder: str,
    *,
    ok: bool,
    result: str = "",
    error: str = "",
    duration_ms: int = 0,
    now: dt.datetime | None = None,
) -> bool:
    """Record the run and free the lease, if this holder still has it (False: another worker took it over)."""
    now = now or clock.now()
    row = JobLease.objects.filter(name=job.name, holder=holder).values("consecutive_failures").first()
    if row is None:
        logger.warning("job %s: the lease was taken over while it ran / 运行期间租约已被接管", job.name)
        return False
    failures = 0 if ok else row["consecutive_failures"] + 1
    wait = job.interval if ok else retry_delay(job, failures)
    updated = JobLease.objects.filter(name=job.name, holder=holder).update(
        holder="",
        expires_at=None,
        next_run_at=now + wait,
        last_finished_at=now,
        last_ok=ok,
        last_result=result[:ERROR_MAX_CHARS],
        last_error=error[-ERROR_MAX_CHARS:],
        last_duration_ms=max(0, duration_ms),
        run_count=F("run_count") + 1,
        failure_count=F("failure_count") + (0 if ok else 1),
        consecutive_failures=failures,
    )
    return updated == 1


@dataclass(frozen=True)
class JobRun:
    """One run of a job by this worker."""

    name: str
    ok: bool
    result: str
    error: str
    duration_ms: int


def job_run(job: Job, holder: str) -> JobRun | None:
    """Run ``job`` if this worker gets its lease; None when it is not due or another worker holds it."""
    if not lease_claim(job, holder):
        return None
    started = time.perf_counter()
    ok, result, error = True, "", ""
    try:
        result = job.fn() or ""
    except Exception as exc:  # a job's failure is recorded and retried; the worker goes on
        ok = False
        error = f"{str(exc).strip() or type(exc).__name__}\n\n{traceback.format_exc()}"
        logger.exception("job %s failed / 后台任务失败", job.name)
    duration_ms = round((time.perf_counter() - started) * 1000)
    lease_release(job, holder, ok=ok, result=result, error=error, duration_ms=duration_ms)
    return JobRun(job.name, ok, result, error, duration_ms)


def jobs_run_due(
    holder: str, *, names: Iterable[str] | None = None, stop: threading.Event | None = None
) -> list[JobRun]:
    """Run every due job this worker can lease, one after the other, until done or asked to stop."""
    wanted = set(names) if names is not None else None
    runs = []
    for job in registered_jobs():
        if stop is not None and stop.is_set():
            break
        if wanted is not None and job.name not in wanted:
            continue
        run = job_run(job, holder)
        if run is not None:
            runs.append(run)
    return runs


def worker_loop(
    *,
    holder: str,
    stop: threading.Event,
    tick_s: float | None = None,
    names: Iterable[str] | None = None,
    once: bool = False,
    parent_pid: int | None = None,
    on_run: Callable[[JobRun], None] | None = None,
) -> None:
    """The ``zhifa worker`` loop: run what is due, wait a tick, again — until ``stop`` is set (SIGTERM/SIGINT),
    after one round with ``once``, or when the parent process ``parent_pid`` is gone (``zhifa serve``)."""
    tick = tick_s if tick_s is not None else max(1, env_int("ZHIFA_WORKER_TICK_SECONDS", DEFAULT_TICK_S))
    wanted = list(names) if names is not None else None
    leases_ensure()
    while not stop.is_set():
        _drop_stale_connections()
        for run in jobs_run_due(holder, names=wanted, stop=stop):
            if on_run is not None:
                on_run(run)
        _drop_stale_connections()
        if once or (parent_pid is not None and os.getppid() != parent_pid):
            return
        stop.wait(tick)


def _drop_stale_connections() -> None:
    """A long-lived process: drop connections the database closed or that outlived ``CONN_MAX_AGE`` (as Django
    does around each request); never one inside a transaction (a caller's, or a test's)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


@dataclass(frozen=True)
class JobStatus:
    """后台任务状态 — a registered job with its lease row (for the administrator's page and the ledger status)."""

    job: Job
    lease: JobLease | None
    running: bool

    @property
    def state_label(self) -> str:
        if self.running:
            return "运行中"
        if self.lease is None or self.lease.last_ok is None:
            return "尚未运行"
        return "成功" if self.lease.last_ok else "失败"

    @property
    def interval_label(self) -> str:
        seconds = int(self.job.interval.total_seconds())
        for unit, size in (("天", 86400), ("小时", 3600), ("分钟", 60)):
            if seconds >= size and seconds % size == 0:
                return f"每 {seconds // size} {unit}"
        return f"每 {seconds} 秒"

    @property
    def error_summary(self) -> str:
        """The error's first line (the traceback follows it in the stored text)."""
        error = self.lease.last_error if self.lease is not None else ""
        return error.splitlines()[0] if error else ""


def job_statuses() -> list[JobStatus]:
    """Every registered job with its lease row, in name order (no data scope: the platform's own health)."""
    now = clock.now()
    leases = {lease.name: lease for lease in JobLease.objects.all()}
    statuses = []
    for job in registered_jobs():
        lease = leases.get(job.name)
        running = bool(
            lease is not None and lease.holder and lease.expires_at is not None and lease.expires_at >= now
        )
        statuses.append(JobStatus(job=job, lease=lease, running=running))
    return statuses
