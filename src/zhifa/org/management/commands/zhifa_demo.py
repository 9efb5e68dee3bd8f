"""``zhifa demo [--scale N] [--seed S]`` — build the 示范县 demo county and print what was built."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.org.demo import DEMO_LOGINS, DEMO_NOTICE, build_demo


class Command(BaseCommand):
    help = "生成示范县演示数据（演示数据，纯属虚构）。--scale 放大相对人和执法人员数量。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="规模倍数：1 = 2,000 个相对人、60 名执法人员"
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale 必须大于 0。")
        summary = build_demo(
            scale=options["scale"],
            seed=options["seed"],
            quiet=options["quiet"],
            log=lambda message: self.stdout.write(message),
        )
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"演示账号（{DEMO_NOTICE}）：")
        for label, username, password in DEMO_LOGINS:
            self.stdout.write(f"  {label}：{username} / {password}")
