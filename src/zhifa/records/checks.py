"""System checks of the ledger (``zhifa check --deploy``): in production the signing key lives outside the data
directory, so that whoever copies or rewrites the data (database, backups) does not also hold the key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from zhifa.records import signing

KEY_INSIDE_DATA_DIR = "zhifa.records.W001"


@register(Tags.security, deploy=True)
def signing_key_outside_data_dir(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    key = signing.key_path().resolve()
    data_dir = settings.DATA_DIR.resolve() if hasattr(settings.DATA_DIR, "resolve") else settings.DATA_DIR
    if not key.is_relative_to(data_dir):
        return []
    return [
        Warning(
            "！！！账本签名私钥位于数据目录内：能复制或改写数据库的人同时拿到了私钥，可以改写记录后重新签名，"
            "签名树头因此不能证明任何事。请把 ZHIFA_LEDGER_SIGNING_KEY_FILE 指向数据目录之外、只有平台进程"
            "可读的文件（见 docs/deployment.md）。"
            f" / The ledger signing key {key} lies inside the data directory {data_dir}: anyone who can copy or"
            " rewrite the database also holds the key and can re-sign a rewritten log.",
            hint="设置 ZHIFA_LEDGER_SIGNING_KEY_FILE=/etc/zhifa/ledger-ed25519.pem（数据目录之外）。"
            " / Set ZHIFA_LEDGER_SIGNING_KEY_FILE to a file outside ZHIFA_DATA_DIR.",
            id=KEY_INSIDE_DATA_DIR,
        )
    ]
