"""Privacy crawl (issue 8 item 4): every public page reachable from the portal home and every public API
response of the demo county must be free of residents' identity numbers, phone numbers and the full names of
natural persons who are parties.

What counts as a leak (decided in docs/portal.md):
* any identity number (GB 11643 pattern with a valid check digit) — of a party, an officer or anyone;
* any mobile phone number, and any phone number held by a natural-person party or an officer (agencies' office
  numbers are public and are not looked for);
* the full name of a natural-person party (PartyKind natural person). Officers' names are public by law
  together with their certificate (事中公示), so they are not looked for; a party name that is also an officer's
  name is left out of the check, since its appearance cannot be told apart.

The crawl follows links within /public/ and /verify/ (bounded) and pages through every list of /api/portal/.
The self-test plants a leak in a public field and checks that the crawl reports it.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client, override_settings

from zhifa.core import clock

MAX_PAGES = 400
FOLLOW = ("/public/", "/verify/")
SKIP = ("/public/staff/",)  # staff pages: login required, not public
ID_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
    r"(?![0-9A-Za-z])"
)
# A number stands alone (beside Chinese text, spaces or punctuation), never inside a longer token: the hex of a
# hash or a signature, or a base64 cursor, holds 11-digit runs by chance (a ledger head's hex once read as a
# mobile number and failed the crawl at random).
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_resident_id(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag == "form" and name == "action")):
                self.links.append(value)


def sensitive_values() -> dict[str, str]:
    """value → what it is: natural persons' names, every identity number and personal phone in the data."""
    from zhifa.org.models import Agency, Officer, Party, PartyKind, User

    officer_names = set(Officer.objects.values_list("name", flat=True))
    found: dict[str, str] = {}
    for name, phone in Party.objects.filter(kind=PartyKind.NATURAL_PERSON).values_list("name", "phone"):
        if name and name not in officer_names:
            found[name] = "自然人当事人姓名"
        if phone:
            found[phone] = "自然人当事人电话"
    for id_number in Party.objects.exclude(id_number="").values_list("id_number", flat=True):
        found[id_number] = "当事人身份证号码"
    for id_number, phone in Officer.objects.values_list("id_number", "phone"):
        found[id_number] = "执法人员身份证号码"
        if phone:
            found[phone] = "执法人员电话"
    for phone in User.objects.exclude(phone="").values_list("phone", flat=True):
        found[phone] = "用户电话"
    # an agency's office number is public; a person's number that happens to equal one cannot be told apart
    for phone in Agency.objects.exclude(phone="").values_list("phone", flat=True):
        found.pop(phone, None)
    return found


def scan(text: str, values: dict[str, str]) -> list[str]:
    problems = [f"{what}: {value}" for value, what in values.items() if value in text]
    problems += [f"身份证号码格式: {m}" for m in ID_RE.findall(text) if _valid_resident_id(m)]
    problems += [f"手机号码格式: {m}" for m in MOBILE_RE.findall(text)]
    return problems


def crawl(client: Client, values: dict[str, str]) -> tuple[list[str], int]:
    """Findings (``url: problem``) and the number of responses read."""
    findings: list[str] = []
    seen: set[str] = set()
    queue: deque[str] = deque(["/public/"])
    read = 0
    while queue and read < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        read += 1
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8", "replace")  # an xlsx export is zip-compressed: its text is not seen here
        findings += [f"{url}: {p}" for p in scan(body, values)]
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(body)
        for link in parser.links:
            absolute = urljoin(url, link)
            parts = urlsplit(absolute)
            if parts.netloc and parts.netloc not in ("testserver",):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(FOLLOW) and not parts.path.startswith(SKIP) and path not in seen:
                queue.append(path)
    # the public API: every list, page by page (bounded), and the detail endpoints it links to
    lists = ("lists/lenient-entries", "lists/benchmarks", "lists/inspection-items")
    for endpoint in ("agencies", "catalog", "officers", "plans", "devices", *lists):
        cursor = None
        for _ in range(50):
            response = client.get(
                f"/api/portal/{endpoint}", {"limit": 100} | ({"cursor": cursor} if cursor else {})
            )
            read += 1
            assert response.status_code == 200, endpoint
            body = response.content.decode()
            findings += [f"/api/portal/{endpoint}: {p}" for p in scan(body, values)]
            data = response.json()
            if endpoint == "officers":
                for item in data["items"][:20]:
                    detail = client.get(f"/api/portal/certificates/{item['number']}")
                    read += 1
                    findings += [
                        f"/api/portal/certificates/: {p}" for p in scan(detail.content.decode(), values)
                    ]
            if endpoint == "agencies":
                for item in data["items"][:20]:
                    detail = client.get(f"/api/portal/agencies/{item['id']}")
                    read += 1
                    findings += [f"/api/portal/agencies/: {p}" for p in scan(detail.content.decode(), values)]
            cursor = data["next_cursor"]
            if cursor is None:
                break
    schema = client.get("/api/openapi.json")
    findings += [f"/api/openapi.json: {p}" for p in scan(schema.content.decode(), values)]
    return findings, read


@pytest.fixture
def crawl_client(demo_county: Any, db: None) -> Client:
    return Client()


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_public_pages_and_api_of_the_demo_leak_no_personal_data(crawl_client: Client) -> None:
    values = sensitive_values()
    assert any(what == "自然人当事人姓名" for what in values.values()), "the demo must have natural persons"
    findings, read = crawl(crawl_client, values)
    assert read > 20, f"crawled only {read} responses"
    assert findings == []


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_privacy_crawl_catches_a_planted_leak(crawl_client: Client) -> None:
    import datetime as dt

    from zhifa.org.models import Agency, Party, PartyKind, User
    from zhifa.portal.models import MonitoringDevice

    person = Party.objects.filter(kind=PartyKind.NATURAL_PERSON).exclude(id_number="").first()
    values = sensitive_values()
    assert person.name in values
    agency = Agency.objects.filter(is_active=True).first()
    MonitoringDevice.objects.create(
        agency=agency,
        kind="camera",
        location="某路口",
        purpose=f"抓拍 {person.name}（{person.id_number}）",
        in_use_from=dt.date(2026, 1, 1),
        created_by=User.objects.first(),
        approved_at=clock.now(),
        published_at=clock.now(),
    )
    findings, _ = crawl(crawl_client, values)
    assert any(person.name in f and "/public/devices/" in f for f in findings), findings[:5]
    assert any(person.id_number in f and "/api/portal/devices" in f for f in findings), findings[:5]


def test_the_scan_reads_a_number_standing_alone_not_one_inside_a_hash() -> None:
    assert scan("联系电话：13912345678。", {}) == ["手机号码格式: 13912345678"]
    assert scan("电话 13912345678", {}) == ["手机号码格式: 13912345678"]
    assert scan('"root": "9f13912345678ab0", "sig": "e018034785544c"', {}) == []
