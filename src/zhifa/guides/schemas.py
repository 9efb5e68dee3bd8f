"""Schemas of the public guide API (/api/portal/guides): public data only — the agency's office phone, never a
person's."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class GuideCitedOut(Schema):
    text: str
    basis: str = Field(description="法律依据（法律名称和条款）")


class GuideSummaryOut(Schema):
    kind: str
    kind_label: str
    version: int = Field(description="版本；0 为法定默认内容（执法主体尚未修改）")
    updated_on: dt.date | None = Field(description="最近更新日期（北京时间）")
    url: str


class GuideAgencyOut(Schema):
    agency_id: int
    agency_name: str
    region_name: str
    guides: list[GuideSummaryOut]


class GuideAgencyPage(Schema):
    items: list[GuideAgencyOut]
    next_cursor: str | None


class GuideStepOut(Schema):
    number: int
    title: str
    detail: str
    limit: str
    basis: str
    optional: bool = Field(description="视情形才有的环节")


class GuideSupervisionOrganOut(Schema):
    name: str
    address: str
    phone: str = Field(description="机构办公电话（公开）")


class GuideCatalogItemOut(Schema):
    id: int
    code: str
    name: str
    legal_basis: str


class GuideOut(Schema):
    agency_id: int
    agency_name: str
    kind: str
    kind_label: str
    version: int = Field(description="版本；0 为法定默认内容")
    updated_on: dt.date | None
    summary: str
    basis: str
    conditions: str
    materials: str
    promised_time: str = Field(description="本机关承诺的办理时限；空为按法定时限")
    statutory_time_limits: list[GuideCitedOut]
    fees: str
    statutory_fees: GuideCitedOut
    office: str
    address: str
    hours: str
    phone: str = Field(description="咨询电话（机关的，公开）")
    supervision: str
    supervision_organs: list[GuideSupervisionOrganOut]
    remedies: list[GuideCitedOut]
    remedy_bodies: str
    steps: list[GuideStepOut]
    catalog_items: list[GuideCatalogItemOut]
    page_url: str
