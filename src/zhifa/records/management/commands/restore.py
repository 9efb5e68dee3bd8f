"""``zhifa restore SRC [--force]`` — restore a backup of ``zhifa backup`` (see zhifa.records.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.records.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份恢复（目标须为空）/ Restore a backup into an empty database and evidence store."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", help="备份目录 / backup directory")
        parser.add_argument("--force", action="store_true", help="覆盖现有数据 / overwrite existing data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(Path(options["src"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = report.manifest.get("ledger_size")
        self.stdout.write(
            f"恢复完成：文件 {report.files} 个"
            + ("" if size is None else f"，账本 {size} 条记录")
            + f"。{report.key_note}\n请运行 zhifa ledger verify --witness <见证文件> 核对。"
            f" / Restored ({report.files} files). Run `zhifa ledger verify --witness STORE`."
        )
