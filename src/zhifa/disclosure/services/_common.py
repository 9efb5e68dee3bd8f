"""What the publication services share: the kinds of source object, the text put in place of a trade
secret, and indexing a published one for search.
"""

from __future__ import annotations

from zhifa.disclosure.models import Publication
from zhifa.search.services import index_document

CASE = "cases.case"
INSPECTION = "inspections.inspection"
SEIZURE = "cases.seizure"  # 行政强制措施: a 查封 or 扣押 decision (the seizure's id)
ENFORCEMENT = "cases.enforcement"  # 行政强制执行: the application to the court (the EnforcementDemand's id)
LICENSING = "zwfw.licensing"  # a licensing decision received from the government services system (政务服务)
SECRET_REMOVED = "【涉及商业秘密，不予公开】"  # noqa: S105 - a label, not a password


def index_publication(p: Publication) -> None:
    index_document(
        source_type="disclosure.publication",
        source_id=p.pk,
        agency_id=p.agency_id,
        domain=p.domain.code if p.domain_id else "",
        kind=p.kind,
        date=p.decided_on,
        title=p.title,
        party=p.party_name,
        body="\n".join(x for x in (p.body, p.agency.name) if x),
    )
