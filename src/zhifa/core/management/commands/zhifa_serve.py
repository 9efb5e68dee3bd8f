"""``zhifa serve``: start the platform on 127.0.0.1 and print the address and the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动平台（默认 127.0.0.1:8000）并打印访问地址与演示账号。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        from zhifa.org.demo import DEMO_LOGINS, demo_present

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"zhifa 已启动：请在浏览器打开 http://{host}:{port}/"))
        if demo_present():
            self.stdout.write("演示账号（演示数据，纯属虚构）：")
            for role, username, password in DEMO_LOGINS:
                self.stdout.write(f"  {role:<8} 用户名 {username:<16} 密码 {password}")
        self.stdout.write("按 Ctrl+C 停止。\n")
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
