"""第三方评估 — the anonymised sample a plan hands to an outside assessor, and the scores it sends back.

Seed 002 (12 建立第三方評估制度): “引入第三方力量，加強對執法質效的評估……委託社會調查機構，對各級行政執法機關行使
執法權和履行法定職責的情況進行調查評估，評估結果作為行政執法機關執法工作的相關考核參考”; seed 004 (13):
“委託第三方機構……進行調查”. What leaves the platform is the file's summary through ``anonymise`` (parties as
当事人甲/乙, persons masked, ID numbers removed) under a sample number (样本编号), never the case number or an id.

* ``export_rows`` / ``export_xlsx`` / ``export_json`` — the sample and its figures, for the plan's supervisors;
* ``score_import`` — the assessor's sheet (样本编号, 评估得分, 评估意见): every row checked first, refused as a
  whole with each bad row's error in Chinese (``ScoreImportRejected``), else recorded against the files.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.core.tables import cell_text, header_text, table_rows
from zhifa.core.transactions import service
from zhifa.evaluation import rules
from zhifa.evaluation.anonymise import anonymised_case
from zhifa.evaluation.models import EvaluationFile, EvaluationPlan, Stratum, ThirdPartyScore
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append

MAX_ROWS = 2000
COLUMNS = ("样本编号", "评估得分", "评估意见")


class ScoreImportRejected(InvalidInput):
    """The assessor's sheet has bad rows; ``details`` lists them (``[{"row": 3, "error": "…"}]``)."""

    code = "score_import_rejected"


def sample_codes(plan: EvaluationPlan) -> dict[int, str]:
    """File id → 样本编号 (S001, S002 … in the order the files were drawn): stable, and no internal id."""
    ids = EvaluationFile.objects.filter(plan=plan).order_by("id").values_list("id", flat=True)
    return {pk: f"S{n:03d}" for n, pk in enumerate(ids, start=1)}


def export_rows(actor: User, plan: EvaluationPlan) -> list[dict[str, Any]]:
    """The anonymised sample, one row per file, for the plan's supervisors only."""
    perms.require(actor, rules.MANAGE, plan)
    codes = sample_codes(plan)
    files = EvaluationFile.objects.filter(plan=plan).select_related("case__domain").order_by("id")
    rows = []
    for file in files:
        summary = anonymised_case(file.case)
        rows.append(
            {
                "sample": codes[file.pk],
                "stratum": str(Stratum(file.stratum).label),
                **summary,
                "panel_total": str(file.total) if file.total is not None else "",
                "panel_grade": file.get_grade_display() if file.grade else "",
            }
        )
    return rows


def figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """样本概况: files per stratum and the panel's mean score of the scored ones."""
    scored = [Decimal(r["panel_total"]) for r in rows if r["panel_total"]]
    mean = (sum(scored, Decimal(0)) / len(scored)).quantize(Decimal("0.1")) if scored else None
    return {
        "files": len(rows),
        "by_stratum": dict(Counter(r["stratum"] for r in rows)),
        "scored": len(scored),
        "panel_mean": str(mean) if mean is not None else "",
    }


HEADERS: tuple[tuple[str, str], ...] = (
    ("sample", "样本编号"),
    ("stratum", "抽样分层"),
    ("domain", "执法领域"),
    ("title", "案由"),
    ("procedure", "程序"),
    ("stage", "环节"),
    ("source_kind", "案源类型"),
    ("opened_on", "立案日期"),
    ("decided_on", "决定日期"),
    ("closed_on", "结案日期"),
    ("parties", "当事人"),
    ("officers", "执法人员"),
    ("facts", "违法事实"),
    ("penalty_kinds", "处罚种类"),
    ("fine_yuan", "罚款（元）"),
    ("decision_text", "处罚内容"),
    ("legal_basis", "法律依据"),
    ("panel_total", "评查组得分"),
    ("panel_grade", "评查组等次"),
)


def _cell(value: Any) -> str:
    return "、".join(value) if isinstance(value, list) else str(value)


def export_xlsx(plan: EvaluationPlan, rows: list[dict[str, Any]]) -> bytes:
    """样本表 (the anonymised files), 评分回填 (the sheet the assessor fills in and sends back) and 概况."""
    wb = Workbook()
    ws = wb.active
    ws.title = "样本"
    ws.append([label for _, label in HEADERS])
    for row in rows:
        ws.append([_cell(row[key]) for key, _ in HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    back = wb.create_sheet("评分回填")
    back.append(list(COLUMNS))
    for row in rows:
        back.append([row["sample"], None, None])
    facts = figures(rows)
    info = wb.create_sheet("概况")
    info.append(["评查方案", plan.title])
    info.append(["导出日期", clock.today().isoformat()])
    info.append(["样本数", facts["files"]])
    for label, n in facts["by_stratum"].items():
        info.append([f"其中：{label}", n])
    info.append(["评查组已评分", facts["scored"]])
    info.append(["评查组平均分", facts["panel_mean"] or "—"])
    info.append(["说明", "当事人以甲、乙代称，个人姓名只保留姓氏，证件号码、电话、住址已删除。"])
    # the assessor fills in 评分回填 and uploads it back: make it the first sheet the import reads
    wb.move_sheet("评分回填", offset=-1)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_json(plan: EvaluationPlan, rows: list[dict[str, Any]]) -> bytes:
    body = {
        "plan": plan.title,
        "exported_on": clock.today().isoformat(),
        "figures": figures(rows),
        "samples": [{label: row[key] for key, label in HEADERS} for row in rows],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def _parse(
    data: bytes, filename: str, codes: dict[str, int]
) -> tuple[list[tuple[int, Decimal, str]], list[dict]]:
    rows = table_rows(data, filename)
    header = next(rows, None)
    names = [header_text(c) for c in header or ()]
    if names[: len(COLUMNS)] != list(COLUMNS):
        raise InvalidInput(
            f"表头应为：{'、'.join(COLUMNS)}（请使用导出的“评分回填”表）。",
            f"Header must be: {', '.join(COLUMNS)}.",
            field="file",
            code="bad_header",
        )
    good: list[tuple[int, Decimal, str]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, raw in enumerate(rows, start=2):
        values = [cell_text(v) for v in (*raw, None, None, None)[:3]]
        if not any(values):
            continue
        if n > MAX_ROWS + 1:
            errors.append({"row": n, "error": f"最多导入 {MAX_ROWS} 行。"})
            break
        code, score, opinion = values
        if not code:
            errors.append({"row": n, "error": "样本编号不能为空。"})
            continue
        if code not in codes:
            errors.append({"row": n, "error": f"样本编号“{code[:20]}”不在本方案的样本中。"})
            continue
        if code in seen:
            errors.append({"row": n, "error": f"样本编号“{code}”重复。"})
            continue
        seen.add(code)
        if not score:
            continue  # a sample the assessor did not score: left out
        try:
            value = Decimal(score)
        except InvalidOperation:
            errors.append({"row": n, "error": "评估得分须为数字。"})
            continue
        if (
            not value.is_finite()
            or not Decimal(0) <= value <= Decimal(100)
            or value != value.quantize(Decimal("0.1"))
        ):
            errors.append({"row": n, "error": "评估得分须在 0–100 之间（最多一位小数）。"})
            continue
        if len(opinion) > 5000:
            errors.append({"row": n, "error": "评估意见不超过 5000 字。"})
            continue
        good.append((codes[code], value, opinion))
    return good, errors


@service
def score_import(
    *, actor: User, plan: EvaluationPlan | int, assessor: str, data: bytes, filename: str = ""
) -> list[ThirdPartyScore]:
    """导入第三方评估得分 — all rows or none; a row again for the same file and assessor replaces its score."""
    plan = (
        EvaluationPlan.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=plan.pk if isinstance(plan, EvaluationPlan) else plan)
    )
    perms.require(actor, rules.MANAGE, plan)
    assessor = (assessor or "").strip()
    if not assessor or len(assessor) > 200:
        raise InvalidInput(
            "请填写评估机构名称（不超过 200 字）。",
            "Name the assessor.",
            field="assessor",
            code="bad_assessor",
        )
    codes = {code: pk for pk, code in sample_codes(plan).items()}
    good, errors = _parse(data, filename, codes)
    if errors:
        raise ScoreImportRejected(
            f"导入失败：{len(errors)} 行有误，未导入任何得分。",
            f"{len(errors)} rows are wrong; nothing was imported.",
            field="file",
            details=errors,
        )
    if not good:
        raise InvalidInput(
            "表中没有填写任何评估得分。", "No scores in the sheet.", field="file", code="no_scores"
        )
    saved = []
    for file_id, value, opinion in good:
        row, _ = ThirdPartyScore.objects.update_or_create(
            file_id=file_id,
            assessor=assessor,
            defaults={"total": value, "opinion": opinion, "imported_by": actor},
        )
        saved.append(row)
    record_append(
        actor=actor,
        action="evaluation.third_party_import",
        obj=plan,
        changes={"assessor": assessor, "count": len(saved)},
    )
    return saved


@service
def third_party_export(*, actor: User, plan: EvaluationPlan, fmt: str) -> bytes:
    """导出第三方评估样本 — the sample leaves the platform: the ledger names who took which plan's, in what format."""
    if fmt not in ("xlsx", "json"):
        raise InvalidInput(
            "导出格式只能是 xlsx 或 json。", "Format: xlsx or json.", field="format", code="bad_format"
        )
    rows = export_rows(actor, plan)
    body = export_xlsx(plan, rows) if fmt == "xlsx" else export_json(plan, rows)
    record_append(
        actor=actor,
        action="evaluation.third_party_export",
        obj=plan,
        changes={"format": fmt, "count": len(rows)},
    )
    return body
