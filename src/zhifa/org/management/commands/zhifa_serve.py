"""``zhifa serve``: start the platform under gunicorn on 127.0.0.1 and print the address and the demo logins.

gunicorn is the server ``docs/deployment.md`` runs in production; here it binds to the loopback address with
two workers and logs only warnings, so what a county trying the product reads is the Chinese lines below.
Where gunicorn cannot run (not a POSIX system) Django's own server is used, with the same lines.

``--with-worker`` (what ``make demo`` runs) starts ``zhifa worker`` beside the server: a child process that
writes to ``$ZHIFA_DATA_DIR/worker.log``, stops on Ctrl+C with the server (same process group) and exits by
itself once the server's process is gone (``--parent-pid``: gunicorn keeps this process's id).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhifa.core.errors import ConfigurationMissing
from zhifa.core.pdf import font_file
from zhifa.org.demo import DEMO_LOGINS, DEMO_NOTICE, demo_present


def gunicorn_argv(host: str, port: str, workers: int) -> list[str]:
    """The command line that serves zhifa under gunicorn (also used by the smoke test)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "zhifa.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]


def worker_argv(parent_pid: int) -> list[str]:
    """``zhifa worker`` that exits when ``parent_pid`` (the server) is gone."""
    return [sys.executable, "-m", "zhifa.cli", "worker", "--parent-pid", str(parent_pid), "--tick", "5"]


def worker_start() -> subprocess.Popen[bytes]:
    """Start the background worker beside this process, its output appended to ``worker.log``."""
    log_path = Path(settings.DATA_DIR) / "worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        # our own interpreter and module, no shell; the child keeps its copy of the log's descriptor
        return subprocess.Popen(worker_argv(os.getpid()), stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


class Command(BaseCommand):
    help = "启动平台（默认 127.0.0.1:8000，gunicorn）并打印访问地址与演示账号。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")
        parser.add_argument(
            "--with-worker", action="store_true", help="同时启动后台任务进程（zhifa worker），随服务停止"
        )

    def handle(
        self, *args: Any, host: str, port: str, workers: int, with_worker: bool = False, **options: Any
    ) -> None:
        try:
            font_file()
        except ConfigurationMissing as missing:
            raise CommandError(missing.message) from None
        if workers < 1:
            raise CommandError("--workers 至少为 1。")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"zhifa 已启动：请在浏览器打开 http://{host}:{port}/"))
        if demo_present():
            self.stdout.write(f"演示账号（{DEMO_NOTICE}）：")
            for role, username, password in DEMO_LOGINS:
                self.stdout.write(f"  {role}：用户名 {username}  密码 {password}")
        if with_worker:
            worker_start()
            self.stdout.write(
                "后台任务进程已随之启动（签名树头、巡查、预警扫描、推送），停止服务时一并停止。"
            )
        self.stdout.write("按 Ctrl+C 停止。\n")
        self.stdout.flush()
        if os.name == "posix":
            argv = gunicorn_argv(host, port, workers)
            # The server takes this process over (same PID, Ctrl+C stops it); argv is gunicorn from our own venv.
            os.execv(argv[0], argv)  # noqa: S606
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
