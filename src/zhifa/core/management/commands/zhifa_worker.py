"""``zhifa worker`` — the one background process: runs every registered periodic job (``zhifa.core.jobs``).

Signing ledger heads, the disclosure and review sweeps, the warning scans, the statistics rebuild, the ledger
verification and the webhook outbox run here on their intervals, on SQLite or PostgreSQL, with no cron and no
other server. Several workers (one per app server) may run at once: each job's database lease lets one of them
run it at a time. SIGTERM or SIGINT lets the job in progress finish, then the process exits.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.core import jobs


class Command(BaseCommand):
    help = "后台任务进程：按间隔运行签名树头、公示与审核时限巡查、预警扫描、统计重建、账本校验和推送发件箱。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="运行一轮到期的任务后退出 / one round, then exit"
        )
        parser.add_argument(
            "--job",
            action="append",
            default=None,
            help="只运行这些任务（可重复）/ only these jobs (repeatable)",
        )
        parser.add_argument(
            "--tick", type=float, default=None, help="检查到期任务的间隔秒数 / seconds per tick"
        )
        parser.add_argument("--list", action="store_true", help="列出任务及其状态 / list the jobs and exit")
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="该进程退出时随之退出（zhifa serve 用）/ exit when this parent process is gone",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = {job.name for job in jobs.registered_jobs()}
        unknown = sorted(set(options["job"] or ()) - known)
        if unknown:
            raise CommandError(
                f"没有这些后台任务：{', '.join(unknown)}（现有：{', '.join(sorted(known))}）/ unknown jobs"
            )
        if options["list"]:
            jobs.leases_ensure()
            for status in jobs.job_statuses():
                lease = status.lease
                last = lease.last_finished_at.isoformat() if lease and lease.last_finished_at else "—"
                self.stdout.write(
                    f"{status.job.name}\t{status.job.label}\t{status.interval_label}\t{status.state_label}\t{last}"
                )
            return
        if options["tick"] is not None and options["tick"] <= 0:
            raise CommandError("--tick 必须为正数 / --tick must be positive")
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write("收到停止信号，当前任务完成后退出 / stopping after the current job")
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, request_stop)
        holder = jobs.new_holder()
        if not options["once"]:
            self.stdout.write(f"zhifa worker 已启动（{holder}），任务：{', '.join(sorted(known))}")
            self.stdout.flush()

        def report(run: jobs.JobRun) -> None:
            if run.ok:
                self.stdout.write(f"{run.name}: {run.result} ({run.duration_ms} ms)")
            else:
                self.stderr.write(f"{run.name}: 失败 / FAILED {run.error.splitlines()[0]}")
            self.stdout.flush()

        jobs.worker_loop(
            holder=holder,
            stop=stop,
            tick_s=options["tick"],
            names=options["job"],
            once=options["once"],
            parent_pid=options["parent_pid"],
            on_run=report,
        )
