"""Schemas of the public API (/api/portal/): public data only — no identity number, no phone of a person."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PortalAgencyOut(Schema):
    id: int
    name: str
    uscc: str
    region_code: str
    region_name: str
    domains: list[str]
    address: str = Field(description="办公地址（机关的，公开）")
    phone: str = Field(description="办公电话（机关的，公开）")


class PortalAgencyPage(Schema):
    items: list[PortalAgencyOut]
    next_cursor: str | None


class PortalCatalogItemOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    code: str
    version: int
    name: str
    kind: str
    kind_label: str
    domain: str
    domain_code: str
    legal_basis: str
    law_name: str
    article: str
    article_text: str
    effective_from: dt.date
    effective_to: dt.date | None = Field(None, description="最后有效日（含）；空表示现行有效")
    confirmed_by: str = Field("", description="确认权责清单的司法局")
    confirmed_on: dt.date | None = Field(None, description="确认日期")


class CatalogPage(Schema):
    items: list[PortalCatalogItemOut]
    next_cursor: str | None


class PortalCertificateOut(Schema):
    number: str
    valid: bool
    status: str
    status_label: str
    officer_name: str = Field(description="执法人员姓名（依法随证件公示）")
    agency_id: int | None
    agency_name: str
    issuer: str
    expires_on: dt.date | None
    domains: list[str]
    auxiliary: bool


class PortalOfficerOut(Schema):
    id: int = Field(description="证件记录编号（游标用）")
    number: str
    officer_name: str
    agency_id: int
    agency_name: str
    domains: list[str]
    expires_on: dt.date


class PortalOfficerPage(Schema):
    items: list[PortalOfficerOut]
    next_cursor: str | None


class PortalRosterOut(Schema):
    id: int = Field(description="证件记录编号")
    officer_name: str = Field(description="姓名（依法随证件公示）")
    duty: str = Field(description="职务")
    number: str = Field(description="执法证件编号")
    categories: list[str] = Field(description="执法类别（证件载明的执法领域）")
    area: str = Field(description="执法区域")
    posts: list[str] = Field(description="岗位/窗口")
    auxiliary: bool = Field(description="执法辅助人员（不得单独执法）")
    expires_on: dt.date
    check_url: str = Field(description="执法证件核验页")


class PortalRosterPage(Schema):
    items: list[PortalRosterOut]
    next_cursor: str | None


class PortalPlanItemOut(Schema):
    item_code: str
    item_name: str
    domain: str
    scope: str
    quarters: str


class PortalPlanOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    year: int
    title: str
    published_at: dt.datetime | None
    items: list[PortalPlanItemOut]


class PortalPlanPage(Schema):
    items: list[PortalPlanOut]
    next_cursor: str | None


class DeviceOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    kind: str
    kind_label: str
    location: str
    purpose: str
    in_use_from: dt.date
    published_at: dt.datetime
    retired_on: dt.date | None = Field(None, description="停用日期（已停用或将停用的设备）")


class DevicePage(Schema):
    items: list[DeviceOut]
    next_cursor: str | None


class PortalConfirmationOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    year: int
    kind: str
    kind_label: str
    bureau_name: str
    confirmed_on: dt.date


class PortalConfirmationPage(Schema):
    items: list[PortalConfirmationOut]
    next_cursor: str | None
