"""Environment variables: each declared once here, with its documentation (listed in the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SECRET_KEY = "zhifa-insecure-development-key-do-not-use-in-production"


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    doc: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "ZHIFA_DATA_DIR", "./var", "SQLite database, evidence files and collected static files live here."
    ),
    Variable(
        "ZHIFA_DATABASE_URL",
        "sqlite:///$ZHIFA_DATA_DIR/zhifa.sqlite3",
        "Database URL; postgres://user@host:5432/name for PostgreSQL in production.",
    ),
    Variable("ZHIFA_SECRET_KEY", "(development key)", "Django secret key; production refuses the default."),
    Variable("ZHIFA_DEBUG", "false", "Debug pages; production refuses to start with it on."),
    Variable(
        "ZHIFA_PRODUCTION", "false", "Production mode: secure cookies, HTTPS proxy header, startup checks."
    ),
    Variable("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the app answers to."),
    Variable("ZHIFA_CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://zhifa.example.gov.cn)."),
    Variable("ZHIFA_DB_CONN_MAX_AGE", "60", "Seconds a PostgreSQL connection is kept open."),
    Variable("ZHIFA_LOGIN_FAILURE_LIMIT", "5", "Failed logins before an account is locked."),
    Variable("ZHIFA_LOGIN_LOCKOUT_MINUTES", "15", "How long a locked account stays locked."),
    Variable("ZHIFA_SESSION_IDLE_MINUTES", "30", "Idle minutes before a session ends."),
    Variable("ZHIFA_HSTS_SECONDS", "0", "Strict-Transport-Security max-age in production."),
    Variable("ZHIFA_LOG_LEVEL", "WARNING", "Root log level."),
    Variable(
        "ZHIFA_TRAINING_MIN_LAW_HOURS", "20", "Yearly minimum hours of public legal training per officer."
    ),
    Variable(
        "ZHIFA_TRAINING_MIN_BUSINESS_HOURS", "40", "Yearly minimum hours of business training per officer."
    ),
    Variable("ZHIFA_CERTIFICATE_EXPIRY_WARNING_DAYS", "30", "Days ahead a certificate's expiry is flagged."),
    Variable("ZHIFA_EVIDENCE_MAX_BYTES", "2147483648", "Largest evidence file accepted, in bytes (2 GiB)."),
    Variable("ZHIFA_EVIDENCE_STORAGE", "filesystem", "Evidence store: filesystem (in ZHIFA_DATA_DIR) or s3."),
    Variable("ZHIFA_S3_ENDPOINT_URL", "", "S3-compatible endpoint URL for evidence; empty: AWS."),
    Variable("ZHIFA_S3_BUCKET", "", "Evidence bucket; required with ZHIFA_EVIDENCE_STORAGE=s3."),
    Variable("ZHIFA_S3_ACCESS_KEY", "", "Access key for the evidence bucket."),
    Variable("ZHIFA_S3_SECRET_KEY", "", "Secret key for the evidence bucket."),
    Variable("ZHIFA_S3_REGION", "", "Region name of the evidence bucket."),
)


def env_str(name: str) -> str:
    return os.environ.get(name, "").strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name).lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env_str(name).split(",") if item.strip()]
