"""``zhifa demo [--scale N] [--seed S] [--as-of YYYY-MM-DD]`` — build the demo counties and print what was built."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.core.pdf import font_file
from zhifa.org.demo import DEMO_LOGINS, DEMO_NOTICE, DemoPartFailed, build_demo, check_as_of


class Command(BaseCommand):
    help = "生成示范县、示范县二演示数据（演示数据，纯属虚构）。--scale 放大相对人和执法人员数量。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="规模倍数：1 = 示范县 2,000 个相对人、60 名执法人员（示范县二约为四分之一）",
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            default="",
            metavar="YYYY-MM-DD",
            help="按该日的样子生成（2026-01-15 至今天之间）：所有行为都在该日或之前；默认今天",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale 必须大于 0。")
        as_of = None
        if options["as_of"]:
            try:
                as_of = clock.parse_day(options["as_of"])
                check_as_of(as_of)
            except ValueError as bad:
                raise CommandError(str(bad)) from None
        try:
            font_file()  # the demo renders documents: say what to install before building anything
        except DomainError as missing:
            raise CommandError(missing.message) from None
        try:
            summary = build_demo(
                scale=options["scale"],
                seed=options["seed"],
                quiet=options["quiet"],
                log=lambda message: self.stdout.write(message),
                as_of=as_of,
            )
        except DemoPartFailed as failed:
            raise CommandError(f"{failed}。演示数据已全部回滚，未写入任何内容。") from None
        except DomainError as refusal:  # a refusal outside the parts' own checks: still no traceback
            raise CommandError(f"演示数据未能生成：{refusal.message}。演示数据已全部回滚。") from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"演示账号（{DEMO_NOTICE}）：")
        for label, username, password in DEMO_LOGINS:
            self.stdout.write(f"  {label}：{username} / {password}")
