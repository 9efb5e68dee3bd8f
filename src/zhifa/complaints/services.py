"""投诉举报 — every state change: public submission, staff entry, 12345 import (file or API, all or nothing),
assignment with a working-day deadline, reply, satisfaction by tracking code, links to cases and problems."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zhifa.cases.models import SourceKind
from zhifa.cases.services import case_register_source
from zhifa.complaints.models import (
    DEFAULT_HANDLING_WORKING_DAYS,
    Channel,
    Complaint,
    ComplaintSetting,
    ComplaintState,
    ImportBatch,
    Satisfaction,
)
from zhifa.complaints.rules import HANDLE, MANAGE
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.tables import table_rows
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Region, Unit, User
from zhifa.records.services import record_append
from zhifa.supervision.services import problem_open

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")
MAX_IMPORT_ROWS = 5000


def today() -> dt.date:
    return clock.today()


def new_tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))


def _text(value: Any, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = ("" if value is None else str(value)).strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_len:
        raise InvalidInput(
            f"{label}过长（最多 {max_len} 字）。", f"{field} longer than {max_len}.", field=field
        )
    return value


def _phone(value: Any) -> str:
    value = _text(value, "complainant_phone", "联系电话", 20, required=False)
    if value and not PHONE_RE.match(value):
        raise InvalidInput(
            "联系电话格式不正确。", "Invalid phone number.", code="invalid_phone", field="complainant_phone"
        )
    return value


def _region(code: Any) -> Region:
    region = Region.objects.filter(code=str(code or "").strip()).first()
    if region is None:
        raise InvalidInput(
            "区划代码不存在。", "Unknown region code.", code="unknown_region", field="region_code"
        )
    return region


def handling_working_days(region: Region) -> int:
    """The region's own setting, else the nearest region above with one, else the default."""
    codes = [c for c in region.path.strip("/").split("/") if c]
    settings_by_code = dict(
        ComplaintSetting.objects.filter(region__code__in=codes).values_list(
            "region__code", "handling_working_days"
        )
    )
    for code in reversed(codes):
        if code in settings_by_code:
            return settings_by_code[code]
    return DEFAULT_HANDLING_WORKING_DAYS


def _create(
    *,
    actor: User | None,
    channel: str,
    region: Region,
    subject: str,
    content: str,
    name: str = "",
    phone: str = "",
    work_order_no: str = "",
    received_on: dt.date | None = None,
) -> Complaint:
    complaint = Complaint(
        tracking_code=new_tracking_code(),
        channel=channel,
        work_order_no=work_order_no,
        complainant_name=_text(name, "complainant_name", "诉求人", 50, required=False),
        complainant_phone=_phone(phone),
        region=region,
        subject=_text(subject, "subject", "标题", 200),
        content=_text(content, "content", "诉求内容", 5000),
        received_on=received_on or today(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    complaint.save()
    return complaint


def _record(actor: User | None, verb: str, complaint: Complaint, changes: Mapping[str, Any]) -> None:
    record_append(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=f"complaints.{verb}",
        obj=complaint,
        changes=dict(changes),
    )


@service
def complaint_submit_public(
    *,
    region_code: str,
    subject: str,
    content: str,
    name: str = "",
    phone: str = "",
    actor: User | None = None,
) -> Complaint:
    """网上投诉 — anyone, no login; returns the complaint whose ``tracking_code`` the complainant keeps.

    Submitted while signed in (``actor``, e.g. an enterprise user), the complaint remembers its submitter, who
    then finds it under 我的投诉 without the code."""
    complaint = _create(
        actor=actor,
        channel=Channel.WEB,
        region=_region(region_code),
        subject=subject,
        content=content,
        name=name,
        phone=phone,
    )
    _record(actor, "submit", complaint, {"channel": Channel.WEB, "region": complaint.region.code})
    return complaint


@service
def complaint_register(
    *,
    actor: User,
    channel: str,
    region: Region,
    subject: str,
    content: str,
    name: str = "",
    phone: str = "",
    received_on: dt.date | None = None,
) -> Complaint:
    """登记 — staff enter a complaint received by phone, letter or visit."""
    perms.require(actor, MANAGE, Complaint(region=region, region_path=region.path))
    if channel not in Channel.values:
        raise InvalidInput("渠道无效。", "Unknown channel.", field="channel")
    if received_on and received_on > today():
        raise InvalidInput("受理日期不能晚于今天。", "received_on is in the future.", field="received_on")
    complaint = _create(
        actor=actor,
        channel=channel,
        region=region,
        subject=subject,
        content=content,
        name=name,
        phone=phone,
        received_on=received_on,
    )
    _record(actor, "register", complaint, {"channel": channel, "region": region.code})
    return complaint


# --- 12345 work orders ---------------------------------------------------------------------------------------------

# Column headers of the 12345 export (Chinese), and the API's field names.
COLUMNS: dict[str, str] = {
    "工单编号": "work_order_no",
    "受理日期": "received_on",
    "诉求人": "name",
    "联系电话": "phone",
    "区划代码": "region_code",
    "标题": "subject",
    "诉求内容": "content",
    "承办单位统一社会信用代码": "agency_uscc",
}
REQUIRED_COLUMNS = ("工单编号", "受理日期", "区划代码", "标题", "诉求内容")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based data row (the header is row 0)
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


def read_table(data: bytes, filename: str) -> list[dict[str, Any]]:
    """Rows of an .xlsx or .csv (UTF-8, with or without BOM, or GB18030) keyed by the API field names.

    The file is read by ``zhifa.core.tables.table_rows`` (refusals: ``import_bad_file_type``,
    ``import_bad_file``, ``import_bad_encoding``).
    """
    rows = list(table_rows(data, filename))
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise InvalidInput("文件为空。", "The file is empty.", code="empty_file", field="file")
    header = [str(h or "").strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"缺少列：{'、'.join(missing)}。",
            f"Missing columns: {missing}.",
            code="missing_columns",
            field="file",
            details={"missing": missing},
        )
    out = []
    for raw in rows[1:]:
        out.append(
            {COLUMNS[h]: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h in COLUMNS}
        )
    return out


def _row_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()[:10].replace("/", "-")
    return dt.date.fromisoformat(text)


@service
def work_orders_import(
    *, actor: User, rows: Iterable[Mapping[str, Any]], source: str = "api", filename: str = ""
) -> ImportBatch:
    """12345 工单导入 — every row checked first; one bad row and nothing is written (errors per row)."""
    perms.require(actor, MANAGE)
    rows = list(rows)
    if not rows:
        raise InvalidInput("没有可导入的工单。", "No rows.", code="empty_file", field="rows")
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(
            f"一次最多导入 {MAX_IMPORT_ROWS} 条。", "Too many rows.", code="too_many_rows", field="rows"
        )
    regions = {
        r.code: r
        for r in Region.objects.filter(code__in={str(r.get("region_code") or "").strip() for r in rows})
    }
    usccs = {str(r.get("agency_uscc") or "").strip().upper() for r in rows} - {""}
    agencies = {a.uscc: a for a in Agency.objects.filter(uscc__in=usccs).select_related("region")}
    numbers = [str(r.get("work_order_no") or "").strip() for r in rows]
    taken = set(
        Complaint.objects.filter(work_order_no__in=[n for n in numbers if n]).values_list(
            "work_order_no", flat=True
        )
    )
    errors: list[RowError] = []
    seen: set[str] = set()
    clean: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=1):
        number = numbers[i - 1]
        row_errors: list[RowError] = []
        if not number:
            row_errors.append(RowError(i, "work_order_no", "工单编号为空"))
        elif number in taken:
            row_errors.append(RowError(i, "work_order_no", f"工单 {number} 已导入过"))
        elif number in seen:
            row_errors.append(RowError(i, "work_order_no", f"工单 {number} 在文件中重复"))
        seen.add(number)
        try:
            received_on = _row_date(row.get("received_on"))
            if received_on > today():
                row_errors.append(RowError(i, "received_on", "受理日期晚于今天"))
        except (TypeError, ValueError):
            received_on = None
            row_errors.append(RowError(i, "received_on", "受理日期格式应为 YYYY-MM-DD"))
        region = regions.get(str(row.get("region_code") or "").strip())
        if region is None:
            row_errors.append(RowError(i, "region_code", "区划代码不存在"))
        elif not perms.can(actor, MANAGE, Complaint(region=region, region_path=region.path)):
            row_errors.append(RowError(i, "region_code", "区划不在您的管辖范围内"))
        agency = None
        uscc = str(row.get("agency_uscc") or "").strip().upper()
        if uscc:
            agency = agencies.get(uscc)
            if agency is None:
                row_errors.append(RowError(i, "agency_uscc", "承办单位不存在"))
            elif region is not None and not _related(agency.region.path, region.path):
                row_errors.append(RowError(i, "agency_uscc", "承办单位与区划不一致"))
        for field, label, max_len in (
            ("subject", "标题", 200),
            ("content", "诉求内容", 5000),
            ("name", "诉求人", 50),
            ("phone", "联系电话", 20),
        ):
            value = str(row.get(field) or "").strip()
            if field in ("subject", "content") and not value:
                row_errors.append(RowError(i, field, f"{label}为空"))
            elif len(value) > max_len:
                row_errors.append(RowError(i, field, f"{label}超过 {max_len} 字"))
            elif field == "phone" and value and not PHONE_RE.match(value):
                row_errors.append(RowError(i, field, "联系电话格式不正确"))
        errors += row_errors
        if not row_errors:
            clean.append(
                {"row": row, "number": number, "received_on": received_on, "region": region, "agency": agency}
            )
    if errors:
        raise InvalidInput(
            f"共 {len(errors)} 处错误，未导入任何工单。",
            f"{len(errors)} errors; nothing was imported.",
            code="import_rows_invalid",
            details=[e.as_dict() for e in errors],
        )
    batch = ImportBatch.objects.create(
        source=source, filename=filename[:200], rows=len(clean), imported_by=actor
    )
    for item in clean:
        row = item["row"]
        complaint = _create(
            actor=actor,
            channel=Channel.HOTLINE,
            region=item["region"],
            subject=row.get("subject"),
            content=row.get("content"),
            name=row.get("name") or "",
            phone=str(row.get("phone") or ""),
            work_order_no=item["number"],
            received_on=item["received_on"],
        )
        _record(actor, "import", complaint, {"batch_id": batch.pk, "work_order_no": item["number"]})
        if item["agency"] is not None:
            _assign(actor, complaint, item["agency"], None)
    return batch


def work_orders_import_file(*, actor: User, data: bytes, filename: str) -> ImportBatch:
    return work_orders_import(actor=actor, rows=read_table(data, filename), source="file", filename=filename)


# --- handling ----------------------------------------------------------------------------------------------------


def _locked(complaint: Complaint | int) -> Complaint:
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency__region", "region")
        .get(pk=pk)
    )


def _related(path_a: str, path_b: str) -> bool:
    """One region lies within the other (a county agency for a township complaint, or the reverse)."""
    return path_a.startswith(path_b) or path_b.startswith(path_a)


def _assign(actor: User, complaint: Complaint, agency: Agency, unit: Unit | None) -> Complaint:
    if not _related(agency.region.path, complaint.region.path):
        raise InvalidInput(
            "承办单位须为诉求所在区域的单位。",
            "The agency is outside the complaint's region.",
            code="agency_outside_region",
            field="agency",
        )
    perms.require(
        actor, MANAGE, Complaint(region=complaint.region, region_path=complaint.region_path, agency=agency)
    )
    if unit is not None and unit.agency_id != agency.pk:
        raise InvalidInput("承办股室不属于该单位。", "The unit is not of this agency.", field="unit")
    days = handling_working_days(complaint.region)
    before = complaint.state
    complaint.agency, complaint.unit = agency, unit
    complaint.state = ComplaintState.ASSIGNED
    complaint.assigned_at = clock.now()
    # Counted from receipt; a re-assignment gives the new agency the full period from today.
    start = complaint.received_on if before == ComplaintState.RECEIVED else today()
    complaint.due = add_working_days(start, days)
    complaint.save(update_fields=["agency", "unit", "state", "assigned_at", "due"])
    _record(
        actor,
        "assign",
        complaint,
        {
            "agency_id": agency.pk,
            "state": [before, complaint.state],
            "due": complaint.due.isoformat(),
            "working_days": days,
        },
    )
    return complaint


@service
def complaint_assign(
    *, actor: User, complaint: Complaint | int, agency: Agency, unit: Unit | None = None
) -> Complaint:
    """分办 — to the agency (and unit) that must handle it; the deadline is counted in working days."""
    complaint = _locked(complaint)
    perms.require(actor, MANAGE, complaint)
    if complaint.state not in (ComplaintState.RECEIVED, ComplaintState.ASSIGNED):
        raise RuleViolation("该诉求已答复，不能改派。", "Already replied.", code="complaint_already_replied")
    return _assign(actor, complaint, Agency.objects.select_related("region").get(pk=agency.pk), unit)


@service
def complaint_reply(*, actor: User, complaint: Complaint | int, reply: str) -> Complaint:
    """答复 — the agency's answer to the complainant."""
    complaint = _locked(complaint)
    perms.require(actor, HANDLE, complaint)
    if complaint.state != ComplaintState.ASSIGNED:
        raise RuleViolation(
            "该诉求不在办理中。", "The complaint is not being handled.", code="complaint_not_assigned"
        )
    complaint.reply = _text(reply, "reply", "答复", 5000)
    complaint.replied_at, complaint.replied_by = clock.now(), actor
    complaint.state = ComplaintState.REPLIED
    complaint.save(update_fields=["reply", "replied_at", "replied_by", "state"])
    late = bool(complaint.due and today() > complaint.due)
    _record(
        actor, "reply", complaint, {"state": [ComplaintState.ASSIGNED, ComplaintState.REPLIED], "late": late}
    )
    return complaint


@service
def complaint_rate(*, tracking_code: str, satisfaction: str, comment: str = "") -> Complaint:
    """满意度评价 — by the complainant with the tracking code, once, after the reply; closes the complaint."""
    code = (tracking_code or "").strip().upper()
    found = (
        Complaint.objects.filter(tracking_code=code).values_list("pk", flat=True).first() if code else None
    )
    if found is None:
        raise NotFound("查询码不存在。", "Unknown tracking code.", code="tracking_code_unknown")
    complaint = _locked(found)
    if satisfaction not in Satisfaction.values:
        raise InvalidInput("请选择满意度。", "Choose a satisfaction level.", field="satisfaction")
    if complaint.state != ComplaintState.REPLIED:
        raise RuleViolation(
            "尚未答复，或已评价。" if complaint.state != ComplaintState.CLOSED else "您已评价过。",
            "Not replied yet, or already rated.",
            code="complaint_not_ratable",
        )
    complaint.satisfaction = satisfaction
    complaint.satisfaction_comment = _text(comment, "comment", "评价意见", 500, required=False)
    complaint.rated_at = clock.now()
    complaint.state = ComplaintState.CLOSED
    complaint.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at", "state"])
    _record(
        None,
        "rate",
        complaint,
        {"satisfaction": satisfaction, "state": [ComplaintState.REPLIED, ComplaintState.CLOSED]},
    )
    return complaint


@service
def complaint_link_case(
    *, actor: User, complaint: Complaint | int, domain: Domain, title: str = ""
) -> Complaint:
    """立为案源 — register a case source (投诉举报 or 12345 工单) with the assigned agency."""

    complaint = _locked(complaint)
    perms.require(actor, HANDLE, complaint)
    if complaint.agency is None:
        raise RuleViolation(
            "请先分办到承办单位。", "Assign the complaint first.", code="complaint_not_assigned"
        )
    if complaint.case_id:
        raise RuleViolation(
            "该诉求已登记为案源。", "Already linked to a case.", code="complaint_already_linked"
        )
    kind = SourceKind.HOTLINE if complaint.channel == Channel.HOTLINE else SourceKind.COMPLAINT
    case = case_register_source(
        actor=actor,
        agency=complaint.agency,
        domain=domain,
        source_kind=kind,
        received_on=complaint.received_on,
        title=title or complaint.subject,
        summary=complaint.content,
        reference=complaint.work_order_no or complaint.tracking_code,
    )
    complaint.case = case
    complaint.save(update_fields=["case"])
    _record(actor, "link_case", complaint, {"case_id": case.pk, "source_kind": kind})
    return complaint


@service
def complaint_open_problem(
    *,
    actor: User,
    complaint: Complaint | int,
    title: str = "",
    category: str = "",
    due: dt.date | None = None,
) -> Complaint:
    """列入问题台账 — a complaint that shows an enforcement problem of the agency (source ``complaint``)."""

    complaint = _locked(complaint)
    perms.require(actor, MANAGE, complaint)
    if complaint.agency is None:
        raise RuleViolation(
            "请先分办到承办单位。", "Assign the complaint first.", code="complaint_not_assigned"
        )
    if complaint.problem_id:
        raise RuleViolation(
            "该诉求已列入问题台账。", "Already on the ledger.", code="complaint_already_linked"
        )
    problem = problem_open(
        actor=actor,
        agency=complaint.agency,
        source_kind="complaint",
        source_ref=complaint.work_order_no or complaint.tracking_code,
        title=title or complaint.subject,
        description=complaint.content,
        category=category,
        due=due,
    )
    complaint.problem = problem
    complaint.save(update_fields=["problem"])
    _record(actor, "open_problem", complaint, {"problem_id": problem.pk})
    return complaint
