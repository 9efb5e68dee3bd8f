"""``zhifa import-parties FILE --user USERNAME [--skip-invalid]`` — 导入行政相对人 from .xlsx or .csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.core.errors import DomainError
from zhifa.org.imports import ImportReport, party_import


class Command(BaseCommand):
    help = (
        "导入行政相对人（.xlsx 或 .csv，首行为中文列名）。有错误时不写入任何数据，除非指定 --skip-invalid。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--user", required=True, help="以哪个用户的身份和权限导入（用户名）")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有错误的行，只导入正确的行")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user_model = get_user_model()
        try:
            actor = user_model.objects.get(username=options["user"])
        except user_model.DoesNotExist as exc:
            raise CommandError(f"用户“{options['user']}”不存在。") from exc
        try:
            with path.open("rb") as fh:
                report = party_import(
                    actor=actor, file=fh, filename=path.name, skip_invalid=options["skip_invalid"]
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._print(report)
        if not report.ok:
            if report.created:
                raise CommandError(f"已导入 {report.created} 行，{len(report.skipped)} 行有错误被跳过。")
            raise CommandError(f"发现 {len(report.errors)} 处错误，未导入任何数据。")

    def _print(self, report: ImportReport) -> None:
        self.stdout.write(f"共读取 {report.total_rows} 行数据，已导入 {report.created} 行。")
        if report.skipped:
            rows = "、".join(str(n) for n in report.skipped)
            self.stdout.write(f"已跳过第 {rows} 行。")
        for error in report.errors:
            column = f"【{error.column}】" if error.column else ""
            self.stderr.write(f"第 {error.row} 行{column}：{error.reason}")
