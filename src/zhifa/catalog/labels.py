"""执法事项目录记录的中文标签 — the catalog app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.catalog.models import ItemKind, LenientKind
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
            "catalog.lenient_entry": "公布包容审慎清单事项",
            "catalog.lenient_decision": "适用包容审慎清单",
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
        }
    )
