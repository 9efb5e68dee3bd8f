"""The demo county receives licensing decisions (step 131), so the portal, the export and the privacy crawl
(portal/tests/test_privacy_crawl.py) have licensing data — natural persons among them — to look at."""

from __future__ import annotations

from typing import Any

from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
from zhifa.org.models import Party, PartyKind


def test_demo_county_has_licensing_decisions_published_and_masked(
    demo_county: Any, db: None, client: Any
) -> None:
    licensing = Publication.objects.filter(kind=ResultKind.LICENSING)
    assert licensing.filter(status=PublicationStatus.PUBLISHED).count() >= 2
    assert licensing.filter(status=PublicationStatus.DRAFT).count() == 1  # the newest waits in the queue
    persons = licensing.filter(party_kind=PartyKind.NATURAL_PERSON)
    assert persons.exists()
    names = set(Party.objects.filter(kind=PartyKind.NATURAL_PERSON).values_list("name", flat=True))
    ids = set(Party.objects.exclude(id_number="").values_list("id_number", flat=True))
    export = client.get("/public/export/licensing.json").json()["items"]
    assert export and {r["行政相对人类别"] for r in export} >= {"自然人"}
    text = str(export) + "".join(p.body for p in licensing)
    assert not [n for n in names if n in text] and not [i for i in ids if i in text]
