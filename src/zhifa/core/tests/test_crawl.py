"""The crawl (issue 16 items 4 and 5): every page of the demo county a role can reach by following links speaks
Chinese, and no link leads the role to a page it may not open.

As every demo role (and anonymously over the public site) the crawl starts at the landing page, follows every
same-origin link (``<a href>``) with GET, and reads each HTML page's visible text (scripts, styles and
attributes stripped). It fails on:

* a link that answers 403 (menus, tabs and buttons show only what the role may open), 404, 405 or 5xx;
* visible text with a ``snake_case`` name, a dotted ``app.action`` code, ``None`` / ``True`` / ``False``,
  an ``object:123`` reference, an English enum value (the values of the models' TextChoices), or an ISO
  timestamp.

To stay fast it visits at most :data:`PER_PATTERN` URLs per pattern (ids in the path and the values of the
query string replaced). A page part marked ``data-raw-record`` (the raw ledger entry shown to verifiers:
canonical JSON, hashes) is not read; :data:`ALLOWED` lists the remaining narrow exceptions with their reason.
New pages are covered without changing this file: whatever a landing page or a menu links to is crawled.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from zhifa.org.demo import DEMO_LOGINS

pytestmark = pytest.mark.slow

PER_PATTERN = 2  # URLs visited per pattern (ids replaced)
MAX_PAGES = 700  # per role: a bound, never reached by the demo county

# Paths never followed: not pages (API, static files, Django's own admin site) or leaving the session.
SKIP_PREFIXES = ("/api/", "/static/", "/media/", "/admin/", "/accounts/logout/")

# Visible text that looks like a code but is legitimate, each with its reason: (path regex, text regex, reason).
ALLOWED: tuple[tuple[str, str, str], ...] = (
    # The administrator searches, unlocks and assigns roles by login name: there it is the datum, not a code.
    (r"^/sysadmin/(users|lockouts)/", r"^demo_[a-z0-9_]+$", "登录名：系统管理员据此查找和解锁账号"),
)


# --- reading a page --------------------------------------------------------------------------------------------------

_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "svg"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _Page(HTMLParser):
    """Visible text (without scripts, styles, attributes and ``data-raw-record`` parts) and the links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # open elements: tag, whether its content is hidden

    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in _VOID:
            return
        self._stack.append((tag, self._hidden() or tag in _SKIPPED_TAGS or "data-raw-record" in values))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _ in self._stack):  # an unclosed <p> or <li> closes with it
            while self._stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._hidden() and data.strip():
            self.text.append(data.strip())


# --- what must not be seen -------------------------------------------------------------------------------------------


def english_enum_values() -> frozenset[str]:
    """The stored values of the apps' TextChoices that are English words (``market``, ``fine``, ``warning`` …),
    those of model fields and those kept in JSON lists (a case's penalty kinds) alike."""
    apps.get_models()  # every models module imported
    values: set[str] = set()
    pending = list(models.TextChoices.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("zhifa."):
            continue
        for value, label in cls.choices:
            if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{2,}", value) and value != str(label):
                values.add(value)
    return frozenset(values)


def action_prefixes() -> frozenset[str]:
    """First parts of dotted codes: the apps' labels and the prefixes of every permission action."""
    from zhifa.org.permissions import ROLE_ACTIONS

    prefixes = {config.label for config in apps.get_app_configs() if config.name.startswith("zhifa.")}
    for actions in ROLE_ACTIONS.values():
        prefixes.update(a.split(".", 1)[0] for a in actions)
    prefixes.update({"case", "inspection", "record", "complaint", "discretion", "evaluation-file"})
    return frozenset(prefixes)


@dataclass
class Rules:
    enums: frozenset[str]
    prefixes: frozenset[str]
    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        prefixes = "|".join(sorted(map(re.escape, self.prefixes), key=len, reverse=True))
        enums = "|".join(sorted(map(re.escape, self.enums), key=len, reverse=True))
        self.patterns = [
            # ASCII word characters: a code next to Chinese text is still a code
            ("snake_case", re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.-])", re.ASCII)),
            (
                "dotted code",
                re.compile(rf"(?<![\w./-])(?:{prefixes})\.[a-z_]+(?:\.[a-z_]+)*(?![\w/-])", re.ASCII),
            ),
            ("None/True/False", re.compile(r"(?<![\w.])(?:None|True|False)(?![\w.])", re.ASCII)),
            ("object reference", re.compile(r"(?<![\w/])[a-z][a-z_.-]*:\d+(?![\d\w])", re.ASCII)),
            ("English enum value", re.compile(rf"(?<![\w./@-])(?:{enums})(?![\w.@/-])", re.ASCII)),
            ("ISO timestamp", re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")),
        ]

    def scan(self, path: str, text: str) -> list[str]:
        found = []
        for what, pattern in self.patterns:
            for match in pattern.finditer(text):
                snippet = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
                if any(re.search(p, path) and re.search(t, match.group()) for p, t, _ in ALLOWED):
                    continue
                found.append(f"{what} «{match.group()}» in …{snippet}…")
        return found


# --- the crawl ---------------------------------------------------------------------------------------------------------

_ID_SEGMENT = re.compile(r"^(?=.*\d)[\w.:-]+$")  # a path segment with a digit: an id, a number, a code


def url_pattern(path: str, query: str) -> str:
    """The URL with its ids replaced: ``/cases/12/`` and ``/cases/13/`` are one pattern."""
    segments = ["<id>" if _ID_SEGMENT.match(s) else s for s in path.split("/")]
    keys = sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)} - {"after", "before"})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Crawl:
    pages: int = 0
    findings: list[str] = field(default_factory=list)
    patterns: dict[str, int] = field(default_factory=dict)


def crawl(client: Client, start: Iterable[str], rules: Rules, *, follow: tuple[str, ...] = ("/",)) -> Crawl:
    result = Crawl()
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in start)
    while queue and result.pages < MAX_PAGES:
        url, came_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        pattern = url_pattern(parts.path, parts.query)
        if result.patterns.get(pattern, 0) >= PER_PATTERN:
            continue
        result.patterns[pattern] = result.patterns.get(pattern, 0) + 1
        response = client.get(url)
        result.pages += 1
        status = response.status_code
        if status in (301, 302, 303):
            target = urljoin(url, response["Location"])
            if "/accounts/login/" in target and "/accounts/login/" not in url:
                result.findings.append(f"{came_from} → {url}: sends a signed-in user to the login page")
            else:
                queue.appendleft((_local(target) or target, came_from))
            continue
        if status != 200:
            result.findings.append(f"{came_from} → {url}: answered {status}")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue  # a download (PDF, spreadsheet, file)
        page = _Page()
        page.feed(response.content.decode("utf-8", "replace"))
        result.findings += [f"{url}: {p}" for p in rules.scan(parts.path, "\n".join(page.text))]
        for link in page.links:
            local = _local(urljoin(url, link))
            if (
                local
                and local not in seen
                and local.startswith(follow)
                and not local.startswith(SKIP_PREFIXES)
            ):
                queue.append((local, url))
    return result


def _local(absolute: str) -> str | None:
    parts = urlsplit(absolute)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules(enums=english_enum_values(), prefixes=action_prefixes())


def _report(result: Crawl) -> str:
    unique = list(dict.fromkeys(result.findings))

    return f"{len(unique)} problems over {result.pages} pages:\n" + "\n".join(unique[:80])


# --- the tests ---------------------------------------------------------------------------------------------------------


def test_the_scan_finds_each_kind_of_internal_text(rules: Rules) -> None:
    text = "agency_id：3 · case.open · None · False · evaluation-file:3 · 2026-11-18T09:30:00+00:00 · 行政处罚：warning"
    kinds = {f.split(" «")[0] for f in rules.scan("/cases/1/", text)}
    assert kinds == {
        "snake_case",
        "dotted code",
        "None/True/False",
        "object reference",
        "English enum value",
        "ISO timestamp",
    }
    assert rules.scan("/cases/1/", "2026-11-18 09:30 立案 罚款 5,000 元 是 否 SM3 PDF zhifa.gov.cn") == []
    # next to Chinese text, and a value kept in a JSON list (a case's penalty kinds) rather than a model field
    found = rules.scan("/review/requests/1/", "拟作出行政处罚：fine。记录agency_id为3")
    assert [f.split(" «")[0] for f in found] == ["snake_case", "English enum value"]


def test_the_crawl_reports_a_link_to_a_refused_page(demo_county: Any, db: None, rules: Rules) -> None:
    client = _signed_in("demo_enterprise")
    result = crawl(client, ["/records/status/"], rules)
    assert any("answered 403" in f for f in result.findings)


def _signed_in(username: str) -> Client:
    from zhifa.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", [u for _, u, _ in DEMO_LOGINS])
def test_every_page_a_role_reaches_speaks_chinese_and_no_link_is_refused(
    demo_county: Any, db: None, rules: Rules, username: str
) -> None:
    result = crawl(_signed_in(username), ["/", "/workbench/"], rules)
    assert result.pages > 5
    assert not result.findings, _report(result)


def test_every_public_page_speaks_chinese_and_no_link_is_refused(
    demo_county: Any, db: None, rules: Rules
) -> None:
    result = crawl(Client(), ["/public/"], rules, follow=("/public/", "/verify/"))
    assert result.pages > 5
    assert not result.findings, _report(result)


@pytest.mark.parametrize(
    ("username", "path", "hidden"),
    [
        ("demo_officer", "/review/", "/review/report/"),  # the officer's /review tabs
        ("demo_reviewer", "/supervision/", "/inspections/warnings/"),  # the reviewer's warning rows
        ("demo_officer", "/stats/", "/stats/remedies/import/"),  # the 复议诉讼导入 tab
    ],
)
def test_tabs_and_rows_link_only_to_what_the_role_may_open(
    demo_county: Any, db: None, username: str, path: str, hidden: str
) -> None:
    client = _signed_in(username)
    response = client.get(path)
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    assert client.get(hidden).status_code == 403  # the role may not open it …
    assert hidden not in page.links  # … so no tab or row links to it
    for link in {urlsplit(link).path for link in page.links if link.startswith(path)}:
        assert client.get(link).status_code != 403, link
