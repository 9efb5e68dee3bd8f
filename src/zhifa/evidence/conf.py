"""Evidence settings read from the environment; imported by ``zhifa.settings`` (no Django models here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from zhifa.core.env import env_int, env_str

DEFAULT_MAX_BYTES = 2 * 1024**3  # 2 GiB


def max_bytes() -> int:
    return env_int("ZHIFA_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def storage_setting(data_dir: Path) -> dict[str, Any]:
    """The ``STORAGES["evidence"]`` entry: local files under the data directory, or S3-compatible storage."""
    kind = (env_str("ZHIFA_EVIDENCE_STORAGE") or "filesystem").lower()
    if kind == "filesystem":
        return {
            "BACKEND": "zhifa.evidence.storage.EvidenceFileSystemStorage",
            "OPTIONS": {"location": str(data_dir / "evidence")},
        }
    if kind == "s3":
        bucket = env_str("ZHIFA_S3_BUCKET")
        if not bucket:
            raise ImproperlyConfigured(
                "ZHIFA_EVIDENCE_STORAGE=s3 需要设置 ZHIFA_S3_BUCKET。 / ZHIFA_EVIDENCE_STORAGE=s3 needs ZHIFA_S3_BUCKET."
            )
        return {
            "BACKEND": "zhifa.evidence.storage_s3.EvidenceS3Storage",
            "OPTIONS": s3_options(
                bucket=bucket,
                endpoint_url=env_str("ZHIFA_S3_ENDPOINT_URL"),
                access_key=env_str("ZHIFA_S3_ACCESS_KEY"),
                secret_key=env_str("ZHIFA_S3_SECRET_KEY"),
                region=env_str("ZHIFA_S3_REGION"),
            ),
        }
    raise ImproperlyConfigured(
        f"ZHIFA_EVIDENCE_STORAGE 只能是 filesystem 或 s3，而不是 {kind!r}。"
        f" / ZHIFA_EVIDENCE_STORAGE must be filesystem or s3, not {kind!r}."
    )


def s3_options(
    *, bucket: str, endpoint_url: str, access_key: str, secret_key: str, region: str
) -> dict[str, Any]:
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }
