"""Shared kernel tables: working-day overrides and the append-only security audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.core.fields import ClockDateTimeField


class WorkingDayOverride(models.Model):
    """调休安排 — one day of a holiday schedule an administrator entered for a year chinese-calendar lacks.

    A year counts as "known" once it has at least one override row: then every day of that year is a working
    day if it is a weekday, unless a row says otherwise (holiday on a weekday, or working weekend).
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)
    created_at = ClockDateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日调休安排"
        verbose_name_plural = verbose_name
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working_day else '休息日'} {self.note}"


class HolidayScheduleYear(models.Model):
    """节假日安排确认 — an administrator confirmed that the overrides of ``year`` are its whole schedule.

    For a year chinese-calendar does not know, the entered rows count only once the year is confirmed: a
    half-entered schedule (New Year's Day typed, the Spring Festival not yet) must not move any deadline.
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = ClockDateTimeField("确认时间", auto_now_add=True)
    basis = models.CharField("依据", max_length=200, blank=True, help_text="如国务院办公厅通知的文号")

    class Meta:
        verbose_name = "节假日安排确认"
        verbose_name_plural = verbose_name
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"


class AuditEvent(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED_OUT = "locked_out", "账号锁定"
    LOGOUT = "logout", "退出登录"
    PERMISSION_DENIED = "permission_denied", "越权访问被拒绝"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    ACCOUNT_UNLOCKED = "account_unlocked", "解除账号锁定"
    ACCOUNT_DISABLED = "account_disabled", "停用账号"
    ACCOUNT_ENABLED = "account_enabled", "启用账号"
    ROLE_CHANGED = "role_changed", "角色变更"
    TOKEN_REVOKED = "token_revoked", "吊销 API 令牌"


class AuditLog(models.Model):
    """安全审计日志 — append-only: database triggers refuse UPDATE and DELETE."""

    at = ClockDateTimeField("时间", auto_now_add=True, db_index=True)
    event = models.CharField("事件", max_length=32, choices=AuditEvent.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    path = models.CharField("路径", max_length=300, blank=True)
    detail = models.CharField("详情", max_length=500, blank=True)

    class Meta:
        verbose_name = "安全审计日志"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_event_display()} {self.username}"


class JobLease(models.Model):
    """后台任务租约 — one periodic job of ``zhifa worker``: who holds it now, when it runs next, how it last went.

    A worker runs a job only after one ``UPDATE … WHERE`` took the lease (free, expired, or already its own) and
    the job was due: with several workers or app servers, a job never runs twice at once (``zhifa.core.jobs``).
    """

    name = models.CharField("任务", max_length=64, unique=True)
    holder = models.CharField("当前执行者", max_length=200, blank=True, default="")
    expires_at = models.DateTimeField("租约到期", null=True, blank=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True)
    last_started_at = models.DateTimeField("最近开始", null=True, blank=True)
    last_finished_at = models.DateTimeField("最近完成", null=True, blank=True)
    last_ok = models.BooleanField("最近结果成功", null=True, blank=True)
    last_result = models.TextField("最近结果", blank=True, default="")
    last_error = models.TextField("最近错误", blank=True, default="")
    last_duration_ms = models.PositiveBigIntegerField("最近耗时（毫秒）", null=True, blank=True)
    run_count = models.PositiveBigIntegerField("运行次数", default=0)
    failure_count = models.PositiveBigIntegerField("失败次数", default=0)
    consecutive_failures = models.PositiveIntegerField("连续失败次数", default=0)

    class Meta:
        verbose_name = "后台任务租约"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicPageVersion(models.Model):
    """公开页面版本 — the one counter every app server reads before it serves a cached public page.

    A publication (and any other change to what the public pages show) adds one in the same transaction
    (``zhifa.core.pagecache.bump``); every cached page is keyed by the counter, so the next request on any
    server misses and renders afresh. One row, created by the migration.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "公开页面版本"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"公开页面版本 {self.number}"
