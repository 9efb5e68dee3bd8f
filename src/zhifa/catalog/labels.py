"""执法事项目录记录的中文标签 — the catalog app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.catalog.models import ConfirmationKind, ItemKind, LenientKind
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    ENTRY_SOURCES,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
)


def register() -> None:
    register_actions(
        {
            "catalog.item_version": "公布执法事项",
            "catalog.item_repeal": "废止执法事项",
            "catalog.item_reassign": "职责争议协调调整实施主体",
            "catalog.lenient_entry": "公布包容审慎清单事项",
            "catalog.lenient_decision": "适用包容审慎清单",
            "catalog.confirmation_request": "申请主体资格确认",
            "catalog.confirmation_confirm": "司法局确认主体资格",
            "catalog.confirmation_return": "司法局退回确认申请",
        }
    )
    code = "事项编码"
    version = Field("版本", COUNT, unit="版")
    source = Field("来源", CHOICE, ENTRY_SOURCES)
    lenient_kind = Field("清单", CHOICE, choices(LenientKind))
    register_fields(
        {
            "catalog.item_version:agency_id": Field("执法主体", NAMES, resolver=names_of("org.Agency")),
            "catalog.item_version:code": code,
            "catalog.item_version:version": version,
            "catalog.item_version:name": "事项名称",
            "catalog.item_version:kind": Field("事项类别", CHOICE, choices(ItemKind)),
            "catalog.item_version:domain": Field(
                "执法领域", NAMES, resolver=names_of("org.Domain", key="code")
            ),
            "catalog.item_version:basis": "设定依据",
            "catalog.item_version:effective_from": Field("施行日期", DATE),
            "catalog.item_version:effective_to": Field("废止日期", DATE),
            "catalog.item_version:source": source,
            "catalog.item_version:closed_version": Field("上一版本", COUNT, unit="版"),
            "catalog.item_version:closed_to": Field("上一版本有效期至", DATE, transition=True),
            "catalog.item_reassign:code": code,
            "catalog.item_reassign:version": version,
            "catalog.item_reassign:effective_to": Field("有效期至", DATE, transition=True),
            "catalog.item_reassign:to_agency_id": Field(
                "调整后实施主体", NAMES, resolver=names_of("org.Agency")
            ),
            "catalog.item_reassign:basis": "调整依据",
            "catalog.item_repeal:code": code,
            "catalog.item_repeal:version": version,
            "catalog.item_repeal:effective_to": Field("有效期至", DATE, transition=True),
            "catalog.lenient_entry:kind": lenient_kind,
            "catalog.lenient_entry:number": "清单序号",
            "catalog.lenient_entry:title": "事项",
            "catalog.lenient_entry:issuer": "制定机关",
            "catalog.lenient_entry:item_codes": "对应事项编码",
            "catalog.lenient_entry:conditions": "适用条件",
            "catalog.lenient_entry:law_basis": "法律依据",
            "catalog.lenient_entry:effective_from": Field("施行日期", DATE),
            "catalog.lenient_entry:effective_to": Field("废止日期", DATE),
            "catalog.lenient_entry:source": source,
            "catalog.lenient_decision:kind": lenient_kind,
            "catalog.lenient_decision:entry": "清单事项",
            "catalog.lenient_decision:applies": Field("适用", BOOL),
            "catalog.lenient_decision:conditions_met": "满足的条件",
            "catalog.lenient_decision:reason": "理由",
            **{f"catalog.confirmation_{verb}:{key}": f for verb, key, f in _confirmation_fields()},
        }
    )


def _confirmation_fields() -> list[tuple[str, str, Field | str]]:
    agency = Field("执法主体", NAMES, resolver=names_of("org.Agency"))
    kind = Field("确认事项", CHOICE, choices(ConfirmationKind))
    year = Field("年度", COUNT, unit="年度")
    rows: list[tuple[str, str, Field | str]] = []
    for verb in ("request", "confirm", "return"):
        rows += [(verb, "agency_id", agency), (verb, "kind", kind), (verb, "year", year)]
    rows += [
        ("request", "items", "申请确认的事项版本"),
        ("request", "note", "申请说明"),
        ("request", "on", Field("申请日期", DATE)),
        ("confirm", "bureau", "确认机关"),
        ("confirm", "on", Field("确认日期", DATE)),
        ("confirm", "deadline", Field("确认期限", DATE)),
        ("confirm", "late", Field("逾期确认", BOOL)),
        ("confirm", "remarks", "确认意见"),
        ("confirm", "items", Field("确认的事项版本数", COUNT, unit="项")),
        ("return", "bureau", "确认机关"),
        ("return", "on", Field("退回日期", DATE)),
        ("return", "reason", "退回理由"),
    ]
    return rows
