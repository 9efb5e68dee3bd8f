"""``zhifa worker`` and its job leases: one holder at a time, takeover after expiry, failures recorded and
retried, every periodic job registered, graceful stop. Runs on SQLite and on the PostgreSQL leg alike."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhifa.core import clock, jobs
from zhifa.core.env import VARIABLES
from zhifa.core.models import JobLease
from zhifa.org.models import Role
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant
from zhifa.records.models import SignedTreeHead
from zhifa.records.verifications import LedgerVerification
from zhifa.testing.registries import only_jobs

pytestmark = pytest.mark.django_db

EXPECTED_JOBS = {
    "ledger_integrate",
    "ledger_sign",
    "ledger_verify",
    "ledger_verify_recent",
    "disclosure_sweep",
    "review_sweep",
    "inspections_scan",
    "supervision_scan",
    "stats_rebuild",
    "push_webhooks",
}


def _lease(name: str) -> JobLease:
    return JobLease.objects.get(name=name)


def test_every_periodic_job_of_the_platform_is_registered_with_a_chinese_label() -> None:
    registered = {job.name: job for job in jobs.registered_jobs()}
    assert set(registered) >= EXPECTED_JOBS
    for job in registered.values():
        assert job.label and not job.label.isascii(), job.name


def test_one_worker_round_runs_every_job_once_and_records_its_result() -> None:
    call_command("zhifa_worker", "--once")
    leases = {lease.name: lease for lease in JobLease.objects.all()}
    assert set(leases) >= EXPECTED_JOBS
    for name in EXPECTED_JOBS:
        lease = leases[name]
        assert (lease.last_ok, lease.run_count, lease.holder) == (True, 1, ""), (name, lease.last_error)
        assert lease.next_run_at > clock.now()
    assert SignedTreeHead.objects.exists()  # ledger_sign signed the head
    assert LedgerVerification.objects.filter(ok=True).exists()  # ledger_verify kept its run
    call_command("zhifa_worker", "--once")  # nothing is due again yet
    assert set(JobLease.objects.filter(name__in=EXPECTED_JOBS).values_list("run_count", flat=True)) == {1}


def test_a_job_held_by_one_worker_is_not_run_by_another_at_the_same_time() -> None:
    ran: list[str] = []
    second: list[jobs.JobRun | None] = []

    def job() -> str:
        ran.append("a")
        # while worker A runs it, worker B tries the same job: its UPDATE finds the lease taken
        second.append(jobs.job_run(jobs.job_named("probe"), "worker-b"))  # type: ignore[arg-type]
        return "完成"

    with only_jobs(("probe", 60, job)):
        jobs.leases_ensure()
        run = jobs.job_run(jobs.job_named("probe"), "worker-a")  # type: ignore[arg-type]
    assert run is not None and run.ok
    assert ran == ["a"] and second == [None]
    lease = _lease("probe")
    assert (lease.holder, lease.run_count, lease.last_result) == ("", 1, "完成")


def test_a_free_lease_is_taken_by_exactly_one_of_two_workers() -> None:
    with only_jobs(("probe", 60, lambda: "完成")):
        jobs.leases_ensure()
        job = jobs.job_named("probe")
        assert job is not None
        assert jobs.lease_claim(job, "worker-a") is True
        assert jobs.lease_claim(job, "worker-b") is False
        assert jobs.lease_release(job, "worker-a", ok=True, result="完成") is True
        # released, but not due again before its interval: B still does not run it
        assert jobs.lease_claim(job, "worker-b") is False
        with clock.set_during(clock.now() + dt.timedelta(seconds=61)):
            assert jobs.lease_claim(job, "worker-b") is True


def test_an_expired_lease_is_taken_over_and_the_stale_holder_cannot_record_over_it() -> None:
    with only_jobs(("probe", 60, lambda: "完成")):
        jobs.leases_ensure()
        job = jobs.job_named("probe")
        assert job is not None
        assert jobs.lease_claim(job, "worker-a") is True  # A starts, then dies (or hangs)
        assert jobs.lease_claim(job, "worker-b") is False  # within A's lease
        with clock.set_during(clock.now() + job.lease + dt.timedelta(seconds=1)):
            assert jobs.lease_claim(job, "worker-b") is True
            assert _lease("probe").holder == "worker-b"
            assert jobs.lease_release(job, "worker-a", ok=True, result="迟到") is False
            assert jobs.lease_release(job, "worker-b", ok=True, result="接管完成") is True
    assert _lease("probe").last_result == "接管完成"


def test_a_failing_job_is_recorded_and_retried_after_the_retry_delay(settings: Any) -> None:
    outcomes = ["fail", "ok"]

    def flaky() -> str:
        if outcomes.pop(0) == "fail":
            raise RuntimeError("推送地址不可达")
        return "恢复正常"

    with only_jobs(("flaky", 3600, flaky)):
        jobs.leases_ensure()
        job = jobs.job_named("flaky")
        assert job is not None
        [run] = jobs.jobs_run_due("worker-a")
        assert not run.ok
        lease = _lease("flaky")
        assert lease.last_ok is False and lease.last_error.startswith("推送地址不可达")
        assert (lease.failure_count, lease.consecutive_failures, lease.holder) == (1, 1, "")
        failed_at = lease.last_finished_at
        assert lease.next_run_at == failed_at + dt.timedelta(seconds=jobs.DEFAULT_RETRY_S)  # not in an hour
        assert jobs.jobs_run_due("worker-a") == []  # not before the retry delay
        with clock.set_during(failed_at + dt.timedelta(seconds=jobs.DEFAULT_RETRY_S + 1)):
            [retry] = jobs.jobs_run_due("worker-b")
    assert retry.ok
    lease = _lease("flaky")
    assert (lease.last_ok, lease.last_result, lease.last_error) == (True, "恢复正常", "")
    assert (lease.run_count, lease.failure_count, lease.consecutive_failures) == (2, 1, 0)


def test_the_retry_delay_doubles_per_failure_and_never_exceeds_the_interval() -> None:
    with only_jobs(("probe", 300, lambda: "完成")):
        job = jobs.job_named("probe")
        assert job is not None
        delays = [jobs.retry_delay(job, n).total_seconds() for n in (1, 2, 3, 4)]
    assert delays == [60, 120, 240, 300]


def test_an_interval_comes_from_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    job = jobs.job_named("push_webhooks")
    assert job is not None and job.interval == dt.timedelta(seconds=60)
    monkeypatch.setenv("ZHIFA_JOB_PUSH_WEBHOOKS_SECONDS", "300")
    assert job.interval == dt.timedelta(seconds=300)


def test_the_worker_stops_after_the_job_in_progress_when_asked_to() -> None:
    stop = threading.Event()
    ran: list[str] = []

    def first() -> str:
        stop.set()  # SIGTERM arrives while this job runs
        ran.append("first")
        return "完成"

    def second() -> str:
        ran.append("second")
        return "完成"

    with only_jobs(("a_first", 60, first), ("b_second", 60, second)):
        jobs.worker_loop(holder="worker-a", stop=stop, tick_s=3600)
    assert ran == ["first"]  # finished the running job, started no other, and returned (no tick waited)
    assert _lease("a_first").last_ok is True and _lease("b_second").last_ok is None


def test_the_worker_started_by_serve_exits_when_its_server_is_gone() -> None:
    with only_jobs(("probe", 60, lambda: "完成")):
        # a parent pid that is not this process's parent: the server has gone
        jobs.worker_loop(holder="worker-a", stop=threading.Event(), tick_s=3600, parent_pid=os.getppid() + 1)
    assert _lease("probe").run_count == 1


def test_an_unknown_job_name_is_refused_in_chinese() -> None:
    with pytest.raises(Exception, match="没有这些后台任务"):
        call_command("zhifa_worker", "--once", "--job", "nightly_nothing")


def test_the_administrator_sees_each_job_its_last_run_and_its_error() -> None:
    admin = UserFactory(username="sysadmin_jobs", full_name="系统管理员")
    agency = AgencyFactory()
    grant(admin, Role.ADMIN, region=agency.region)
    officer = UserFactory(username="officer_jobs", full_name="执法员")
    grant(officer, Role.OFFICER, agency=agency)

    def broken() -> str:
        raise RuntimeError("签名密钥文件不可读")

    client = Client()
    client.force_login(admin)
    with only_jobs(("probe", 60, lambda: "已签名树头：大小 3"), ("broken", 60, broken)):
        jobs.leases_ensure()
        jobs.jobs_run_due("worker-a")
        html = client.get(reverse("sysadmin:job_list")).content.decode()
        status_html = client.get(reverse("records:status")).content.decode()
        client.force_login(officer)
        refused = client.get(reverse("sysadmin:job_list"))
    assert "已签名树头：大小 3" in html and "签名密钥文件不可读" in html and "连续失败 1 次" in html
    assert "Traceback" not in html and "RuntimeError" not in html
    assert 'data-testid="jobs"' in status_html and "签名密钥文件不可读" in status_html
    assert refused.status_code == 403


def test_every_job_interval_variable_is_declared_and_documented() -> None:
    declared = {variable.name for variable in VARIABLES}
    missing = [job.env_name for job in jobs.registered_jobs() if job.env_name not in declared]
    assert not missing, f"declare these in zhifa.core.env.VARIABLES (and the README): {missing}"


@pytest.mark.django_db(transaction=True)
def test_eight_workers_racing_for_a_due_job_on_their_own_connections_let_exactly_one_run_it() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "threads share one in-memory SQLite test database; the PostgreSQL leg races real connections"
        )
    workers = 8
    barrier = threading.Barrier(workers)

    def race(n: int) -> bool:
        try:
            barrier.wait(timeout=30)
            job = jobs.job_named("probe")
            assert job is not None
            return jobs.lease_claim(job, f"worker-{n}")
        finally:
            connection.close()  # this thread's own connection

    with only_jobs(("probe", 60, lambda: "完成")):
        jobs.leases_ensure()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            taken = list(pool.map(race, range(workers)))
    assert taken.count(True) == 1
    assert _lease("probe").holder == f"worker-{taken.index(True)}"


def test_sigterm_to_the_worker_command_lets_the_running_job_finish_and_exits() -> None:
    ran: list[str] = []

    def first() -> str:
        os.kill(os.getpid(), signal.SIGTERM)  # systemd stops the service while this job runs
        ran.append("first")
        return "完成"

    def second() -> str:
        ran.append("second")
        return "完成"

    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        with only_jobs(("a_first", 60, first), ("b_second", 60, second)):
            call_command("zhifa_worker", "--tick", "3600")  # returns only because it was asked to stop
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
    assert ran == ["first"]
    assert _lease("a_first").last_ok is True and _lease("a_first").holder == ""
