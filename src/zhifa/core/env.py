"""Environment variables: each declared once here, with its documentation (listed in the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SECRET_KEY = "zhifa-insecure-development-key-do-not-use-in-production"  # noqa: S105 - refused in production


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
    Variable(
        "ZHIFA_ENTERPRISE_SIGNUP_CODE_DAYS", "30", "Days an enterprise's one-time sign-up code stays valid."
    ),
    Variable(
        "ZHIFA_ENTERPRISE_SIGNUP_MAX_ACCOUNTS",
        "2",
        "Enterprise accounts a party may have before self-registration (自助注册) is refused.",
    ),
    Variable("ZHIFA_API_TOKEN_DAYS", "90", "Days an API token is valid after it is made (401 after)."),
    Variable("ZHIFA_HSTS_SECONDS", "31536000", "Strict-Transport-Security max-age in production (0: off)."),
    Variable(
        "ZHIFA_HSTS_INCLUDE_SUBDOMAINS", "false", "HSTS includeSubDomains in production (every subdomain)."
    ),
    Variable("ZHIFA_HSTS_PRELOAD", "false", "HSTS preload in production (only if the domain owner agrees)."),
    Variable(
        "ZHIFA_SSL_REDIRECT",
        "true",
        "Production: redirect plain HTTP to HTTPS (proxy sets X-Forwarded-Proto).",
    ),
    Variable("ZHIFA_LOG_LEVEL", "WARNING", "Root log level."),
    Variable(
        "ZHIFA_TODAY",
        "",
        "YYYY-MM-DD: run the platform's one clock from that day (training, rehearsal); empty: the real date.",
    ),
    Variable(
        "ZHIFA_TEST_TODAY",
        "2026-11-18",
        "YYYY-MM-DD: the day the test suite's clock is set to (any date must pass).",
    ),
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
    # Inspections (涉企行政检查): every number local plans may change.
    Variable(
        "ZHIFA_INSPECTION_REPEAT_PERIOD_DAYS",
        "180",
        "重复检查: same item, same enterprise within these days.",
    ),
    Variable(
        "ZHIFA_INSPECTION_MULTI_AGENCY_WINDOW_DAYS", "30", "多头检查: window in days for agencies to count."
    ),
    Variable(
        "ZHIFA_INSPECTION_MULTI_AGENCY_MIN", "2", "多头检查: this many agencies within the window warn."
    ),
    Variable(
        "ZHIFA_INSPECTION_FREQUENCY_PERIOD_DAYS", "365", "高频检查: period in days for the class allowance."
    ),
    Variable(
        "ZHIFA_INSPECTION_MAX_PER_PERIOD_A",
        "1",
        "高频检查: inspections per period a class-A enterprise allows.",
    ),
    Variable("ZHIFA_INSPECTION_MAX_PER_PERIOD_B", "2", "高频检查: inspections per period for class B."),
    Variable("ZHIFA_INSPECTION_MAX_PER_PERIOD_C", "4", "高频检查: inspections per period for class C."),
    Variable("ZHIFA_INSPECTION_MAX_PER_PERIOD_D", "6", "高频检查: inspections per period for class D."),
    Variable(
        "ZHIFA_INSPECTION_AGENCY_YEAR_CAP", "2", "高频检查: cap per agency per enterprise per calendar year."
    ),
    Variable(
        "ZHIFA_INSPECTION_VISIT_CAP_PER_AGENCY",
        "0",
        "年度检查上限: routine visits of one agency to one enterprise a year where no region sets it (0: none).",
    ),
    Variable(
        "ZHIFA_INSPECTION_VISIT_CAP_PER_ENTERPRISE",
        "0",
        "年度检查上限: routine visits of all agencies to one enterprise a year where no region sets it (0: none).",
    ),
    Variable(
        "ZHIFA_INSPECTION_MERGE_WINDOW_DAYS",
        "30",
        "综合查一次: planned visits this close are suggested merged.",
    ),
    Variable(
        "ZHIFA_SIMULATION_DIR",
        "",
        "Set by zhifa simulate-inspections for its child process only: the throwaway directory of its database.",
    ),
    Variable(
        "ZHIFA_INSPECTION_RECOGNITION_DAYS",
        "180",
        "结果互认: a recorded check counts for an equivalent item this many days.",
    ),
    Variable(
        "ZHIFA_INSPECTION_DRAW_EXCLUSION_DAYS",
        "180",
        "Draws leave out parties inspected for the item within.",
    ),
    Variable("ZHIFA_INSPECTION_MIN_INSPECTORS", "2", "Officers per inspection, at least."),
    Variable(
        "ZHIFA_INSPECTION_EMERGENCY_FILING_HOURS", "24", "Emergency inspections are filed within these hours."
    ),
    Variable(
        "ZHIFA_INSPECTION_OFFLINE_ENTRY_HOURS",
        "24",
        "Offline check-ins keyed in later than this are flagged.",
    ),
    Variable(
        "ZHIFA_INSPECTION_BACK_ENTRY_DAYS",
        "10",
        "Offline on-site work may be synced (back-entered) within this many days of its capture; later "
        "entries are still applied but flagged (超出离线补录期限).",
    ),
    Variable(
        "ZHIFA_INSPECTION_RESULT_PUBLISH_WORKING_DAYS", "20", "Results are published within working days."
    ),
    Variable(
        "ZHIFA_INSPECTION_FEEDBACK_MIN_AGGREGATE", "3", "Ratings an agency needs before it sees aggregates."
    ),
    Variable(
        "ZHIFA_INSPECTION_PLAN_DEADLINE", "03-31", "MM-DD by which a year's inspection plan is published."
    ),
    # Cases (zhifa.cases.limits.SETTINGS): numbers a province or department sets; sources in docs/cases.md.
    Variable(
        "ZHIFA_CASE_HEARING_FINE_CITIZEN_YUAN", "10000", "较大数额罚款 for a hearing (Art. 63), citizen."
    ),
    Variable(
        "ZHIFA_CASE_HEARING_FINE_ORGANISATION_YUAN", "100000", "较大数额罚款 for a hearing, organisation."
    ),
    Variable(
        "ZHIFA_CASE_MAJOR_FINE_CITIZEN_YUAN", "10000", "Fine making a case major (legal review), citizen."
    ),
    Variable("ZHIFA_CASE_MAJOR_FINE_ORGANISATION_YUAN", "100000", "Fine making a case major, organisation."),
    Variable(
        "ZHIFA_CASE_STATEMENT_WORKING_DAYS", "5", "Working days for statement and defence after notice."
    ),
    Variable("ZHIFA_CASE_SIMPLE_FILING_WORKING_DAYS", "3", "Working days to file an on-the-spot decision."),
    Variable(
        "ZHIFA_CASE_EXTENSION_MAX_DAYS", "30", "Longest single extension of the 90-day decision period."
    ),
    Variable("ZHIFA_CASE_NEAR_LIMIT_DAYS", "15", "Days before a case deadline it shows as near."),
    Variable(
        "ZHIFA_CASE_MAJOR_SEIZURE_YUAN",
        "100000",
        "Value of seized property (yuan) from which a 查封/扣押 needs a passed legal review first.",
    ),
    Variable(
        "ZHIFA_PUBLIC_BASE_URL",
        "http://localhost:8000",
        "Public address printed in QR codes of documents and inspection codes (https://zhifa.example.gov.cn).",
    ),
    # Public page cache (zhifa.core.pagecache): anonymous public pages cached until the next publication.
    Variable(
        "ZHIFA_PAGE_CACHE",
        "memory",
        "Where cached public pages live: memory (per process), file ($ZHIFA_DATA_DIR/cache/pages, shared by"
        " the servers of one host or a shared disk), database (the shared cache table) or off. Invalidation"
        " reaches every server in all modes: the page version is a database row.",
    ),
    Variable(
        "ZHIFA_RATELIMIT_CACHE",
        "database",
        "Where the per-IP rate-limit counters live: database (the shared cache table) or file"
        " ($ZHIFA_DATA_DIR/cache/ratelimit: no database write per anonymous request; for servers on one host"
        " or a shared disk; a count may be lost in a race, so the limit is slightly lenient).",
    ),
    Variable(
        "ZHIFA_PAGE_CACHE_SECONDS", "600", "Longest time a cached public page is served (0 = do not cache)."
    ),
    Variable(
        "ZHIFA_PAGE_VERSION_MEMO_MS",
        "1000",
        "How long each process remembers the public page version row, so that a cached page needs no database"
        " query (a publication on another server shows here within this bound; 0 reads the row per request).",
    ),
    Variable(
        "ZHIFA_RATELIMIT_FLUSH_MS",
        "1000",
        "Anonymous requests are counted in each process and added to the shared rate-limit counters at least"
        " this often, or when a process's own count reaches a tenth of the limit (0: every request at once).",
    ),
    # Public portal (公示平台): rate limits per client IP and the proxy header that carries the client's IP.
    Variable(
        "ZHIFA_PORTAL_RATE",
        "300/m",
        "Pages an anonymous client IP may load per period (portal, login, complaint form; 429 beyond).",
    ),
    Variable(
        "ZHIFA_PORTAL_API_RATE",
        "120/m",
        "API calls per anonymous client IP per period (/api/portal/, /api/search/, public disclosure, ...).",
    ),
    Variable(
        "ZHIFA_LOGIN_IP_RATE",
        "20/m",
        "Login attempts per client IP per period, besides the per-account lockout.",
    ),
    Variable(
        "ZHIFA_TRUSTED_PROXY_HEADER",
        "",
        "Header the reverse proxy sets with the client IP (X-Forwarded-For: last entry); empty: REMOTE_ADDR.",
    ),
    Variable("ZHIFA_LEDGER_HASH", "sm3", "Ledger hash (sm3 or sha256), fixed at the first entry."),
    Variable(
        "ZHIFA_LEDGER_SIGNING_KEY_FILE",
        "$ZHIFA_DATA_DIR/keys/ledger-ed25519.pem",
        "Ed25519 PKCS#8 PEM key signing tree heads; created on first use when unset.",
    ),
    Variable(
        "ZHIFA_LEDGER_SIGN_INTERVAL",
        "60",
        "Seconds: an append signs a tree head when the newest is older than this; 0 turns it off.",
    ),
    Variable(
        "ZHIFA_WEBHOOK_ALLOW_PRIVATE",
        "false",
        "Outgoing webhooks may reach private and loopback addresses (an intranet); see docs/security.md.",
    ),
    Variable(
        "ZHIFA_WEBHOOK_TIMEOUT_SECONDS",
        "5",
        "Seconds an outgoing webhook waits to connect and for the answer.",
    ),
    Variable(
        "ZHIFA_WEBHOOK_MAX_ATTEMPTS", "10", "Attempts of one webhook delivery before it is marked failed."
    ),
    Variable(
        "ZHIFA_WEBHOOK_RETRY_BASE_SECONDS",
        "60",
        "First retry delay of a webhook delivery; doubled after each failed attempt (at most 6 hours).",
    ),
    # zhifa worker (后台任务, zhifa.core.jobs): the loop, the leases and each job's interval.
    Variable(
        "ZHIFA_WORKER_TICK_SECONDS",
        "15",
        "zhifa worker: seconds between looks for due jobs.",
    ),
    Variable(
        "ZHIFA_WORKER_LEASE_SECONDS",
        "1800",
        "zhifa worker: a job's lease (longest run) unless the job sets its own; then another worker may take it over.",
    ),
    Variable(
        "ZHIFA_WORKER_RETRY_SECONDS",
        "60",
        "zhifa worker: first retry delay of a failed job; doubled per consecutive failure, at most the job's interval.",
    ),
    Variable(
        "ZHIFA_JOB_LEDGER_INTEGRATE_SECONDS",
        "15",
        "Interval of the job sequencing ledger entries left pending (待排序记录入账; normally done on commit).",
    ),
    Variable(
        "ZHIFA_JOB_LEDGER_SIGN_SECONDS",
        "600",
        "Interval of the job signing the ledger head (only when entries arrived since the last head).",
    ),
    Variable(
        "ZHIFA_JOB_LEDGER_VERIFY_SECONDS",
        "86400",
        "Interval of the full ledger verification (账本全量校验).",
    ),
    Variable(
        "ZHIFA_JOB_LEDGER_VERIFY_RECENT_SECONDS",
        "300",
        "Interval of the incremental ledger verification (账本增量校验: what arrived since the last verified checkpoint).",
    ),
    Variable(
        "ZHIFA_JOB_DISCLOSURE_SWEEP_SECONDS",
        "3600",
        "Interval of the disclosure sweep (公示事项巡查).",
    ),
    Variable(
        "ZHIFA_JOB_REVIEW_SWEEP_SECONDS",
        "3600",
        "Interval of the legal-review time-limit sweep (法制审核时限巡查).",
    ),
    Variable(
        "ZHIFA_JOB_INSPECTIONS_SCAN_SECONDS",
        "86400",
        "Interval of the full inspection warning scan (检查预警全量扫描).",
    ),
    Variable(
        "ZHIFA_JOB_SUPERVISION_SCAN_SECONDS",
        "900",
        "Interval of gathering the supervision flags (汇集监督预警).",
    ),
    Variable(
        "ZHIFA_JOB_STATS_REBUILD_SECONDS",
        "86400",
        "Interval of the statistics rebuild (统计预聚合重建).",
    ),
    Variable(
        "ZHIFA_JOB_PUSH_WEBHOOKS_SECONDS",
        "60",
        "Interval of the webhook outbox (公示推送发件箱).",
    ),
    Variable(
        "ZHIFA_JOB_PUSH_OUTBOX_SECONDS",
        "60",
        "Interval of a county's outbox to its city (上报上级平台发件箱, docs/exchange.md).",
    ),
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
