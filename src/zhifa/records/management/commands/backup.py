"""``zhifa backup DEST [--include-private-key]`` — a consistent hot copy (see zhifa.records.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.records.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库、证据文件和账本公钥 / Back up the database, the evidence store and the ledger's public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", help="备份目录（不存在或为空）/ backup directory (new or empty)")
        parser.add_argument(
            "--include-private-key",
            action="store_true",
            help="同时备份签名私钥（请另行保管）/ also copy the private signing key",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(Path(options["dest"]), include_private_key=options["include_private_key"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = manifest.get("ledger_size")
        self.stdout.write(
            f"备份完成：{options['dest']}，文件 {len(manifest['files'])} 个"
            + ("" if size is None else f"，账本 {size} 条记录（根 {manifest['ledger_root'][:16]}…）")
            + f" / Backup written: {len(manifest['files'])} files"
            + ("" if size is None else f", ledger size {size}")
            + "."
        )
