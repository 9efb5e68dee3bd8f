"""Witnessing the ledger from outside its database (见证): ``zhifa ledger witness`` and ``verify --witness``.

A witness — another instance, another machine, a regulator — keeps its own copy of the platform's signed
tree heads in a JSON file (the *store*). Each run it fetches the heads the platform published since the last
run (``GET /api/portal/ledger/heads``, or a file written by ``zhifa ledger heads --out``), and for each new
head checks:

* its Ed25519 signature, with the public key pinned in the store on first use (a different published key
  is refused: re-pinning is a deliberate act of the witness's operator);
* its hash algorithm is the one pinned;
* an RFC 9162 §2.1.4 consistency proof between it and the largest head the store holds (fetched from
  ``GET /api/portal/ledger/consistency``): the log only ever grew;
* and finally that the platform's log is not shorter than the largest witnessed head.

``zhifa ledger verify --witness STORE`` then fails when the local log is shorter than, or has another root
than, any head in the store. See docs/ledger.md, "Witnesses", for which attacks that catches.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from zhifa.records import merkle, selectors, signing
from zhifa.records.canonical import canonical_json, iso_utc
from zhifa.records.models import SignedTreeHead

STORE_FORMAT = "zhifa-ledger-witness-v1"
HEADS_FORMAT = "zhifa-ledger-heads-v1"
API_PATH = "/api/portal/ledger"
PAGE_LIMIT = 100
MAX_PAGES = 10
#: New heads checked in one run, the newest (each costs a consistency proof, i.e. a request of the source's
#: rate-limited API). Skipping older new heads loses nothing: the newest's proof covers them.
MAX_CHECKED = 50
MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_S = 30
DEFAULT_KEEP = 1000


class WitnessError(Exception):
    """Something does not hold (or cannot be fetched); ``str()`` is Chinese / English."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(f"{message} / {message_en}")
        self.message = message
        self.message_en = message_en


# --- the published form of a head ---------------------------------------------------------------------------


def head_public(head: SignedTreeHead) -> dict[str, Any]:
    """A signed head as published (API, feed, ``ledger heads``): everything a witness needs, hex-encoded."""
    return {
        "id": head.id,
        "tree_size": head.tree_size,
        "root": bytes(head.root).hex(),
        "signed_at": iso_utc(head.signed_at),
        "hash_algorithm": head.hash_algorithm,
        "signature_algorithm": head.signature_algorithm,
        "signature": bytes(head.signature).hex(),
    }


def head_message(head: dict[str, Any]) -> bytes:
    """The bytes the platform signed for a published head (``signing.tree_head_message``, from the strings)."""
    return canonical_json(
        {
            "log": signing.LOG_ID,
            "tree_size": head["tree_size"],
            "root": head["root"],
            "signed_at": head["signed_at"],
            "hash_algorithm": head["hash_algorithm"],
        }
    )


def public_key_raw(pem: str) -> bytes:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise WitnessError("公钥无法解析。", f"The public key does not parse: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise WitnessError("公钥不是 Ed25519 公钥。", "The public key is not an Ed25519 key.")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _parsed_head(raw: Any) -> dict[str, Any]:
    """A head from a source, checked for shape (never trusted for more than that)."""
    try:
        head: dict[str, Any] = {
            "tree_size": int(raw["tree_size"]),
            "root": str(raw["root"]).lower(),
            "signed_at": str(raw["signed_at"]),
            "hash_algorithm": str(raw["hash_algorithm"]),
            "signature_algorithm": str(raw["signature_algorithm"]),
            "signature": str(raw["signature"]).lower(),
        }
        bytes.fromhex(head["root"])
        bytes.fromhex(head["signature"])
        _when(head)
    except (KeyError, TypeError, ValueError) as exc:
        raise WitnessError("签名树头格式不正确。", f"Malformed signed head: {raw!r:.200}") from exc
    if head["tree_size"] < 0:
        raise WitnessError("签名树头大小为负。", "Signed head with a negative size.")
    return head


def _when(head: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(head["signed_at"].replace("Z", "+00:00"))


def head_signature_ok(head: dict[str, Any], key_raw: bytes) -> bool:
    return head["signature_algorithm"] == signing.SIGNATURE_ALGORITHM and signing.signature_valid(
        key_raw, bytes.fromhex(head["signature"]), head_message(head)
    )


# --- sources --------------------------------------------------------------------------------------------------


def fetch_json(url: str) -> Any:
    """GET ``url`` and parse its JSON (tests replace this with the Django test client)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        # The callers pass http(s) URLs only (``is_url``, the configured witnesses).
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        raise WitnessError(
            f"请求失败（HTTP {exc.code}）：{url}", f"HTTP {exc.code} from {url}: {detail}"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WitnessError(f"无法访问：{url}", f"Cannot fetch {url}: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise WitnessError(f"响应过大：{url}", f"Response too large: {url}")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise WitnessError(f"响应不是 JSON：{url}", f"Not JSON: {url}") from exc


def is_url(value: str) -> bool:
    return urllib.parse.urlsplit(value).scheme in ("http", "https")


class HttpSource:
    """Another instance's public API: ``BASE`` is its site (``https://host``) or its ``…/api/portal/ledger``."""

    def __init__(self, url: str) -> None:
        base = url.rstrip("/")
        if not base.endswith(API_PATH):
            base += API_PATH
        self.base = base
        self.name = url

    def public_key_pem(self) -> str:
        data = fetch_json(f"{self.base}/public-key")
        return str(data["public_key_pem"])

    def heads_since(self, after: dt.datetime | None) -> tuple[list[dict[str, Any]], int]:
        """Heads signed after ``after`` (all when None), newest first, and the log's current size."""
        heads: list[dict[str, Any]] = []
        cursor: str | None = None
        size = 0
        for page_number in range(MAX_PAGES):
            query = {"limit": PAGE_LIMIT} | ({"cursor": cursor} if cursor else {})
            page = fetch_json(f"{self.base}/heads?{urllib.parse.urlencode(query)}")
            if page_number == 0:
                size = int(page["tree_size"])
            done = False
            for raw in page["items"]:
                head = _parsed_head(raw)
                if after is not None and _when(head) <= after:
                    done = True
                    break
                heads.append(head)
            cursor = page.get("next_cursor")
            if done or not cursor or len(heads) >= MAX_CHECKED:
                break
        return heads, size

    def consistency(self, first: int, second: int) -> list[bytes]:
        url = f"{self.base}/consistency?{urllib.parse.urlencode({'first': first, 'second': second})}"
        try:
            data = fetch_json(url)
        except WitnessError as exc:
            raise WitnessError(
                f"来源无法给出 {first} 到 {second} 的一致性证明（其账本可能已被截短或回滚）：{exc.message}",
                f"The source gives no consistency proof {first} → {second} (log truncated or rolled back?):"
                f" {exc.message_en}",
            ) from exc
        return [bytes.fromhex(p) for p in data["proof"]]


class HeadsSource:
    """Heads plus their proofs as ``export_heads`` writes them, already in hand: a file's content, or the
    ``ledger`` part of an exchange batch a county pushed to its city (``zhifa.exchange``)."""

    def __init__(self, data: Any, name: str) -> None:
        self.name = name
        if not isinstance(data, dict) or data.get("format") != HEADS_FORMAT:
            raise WitnessError(f"不是签名树头数据：{name}", f"Not {HEADS_FORMAT} data: {name}")
        self.data = data
        self.proofs = {str(k): v for k, v in (self.data.get("proofs") or {}).items()}

    def public_key_pem(self) -> str:
        return str(self.data["public_key_pem"])

    def heads_since(self, after: dt.datetime | None) -> tuple[list[dict[str, Any]], int]:
        heads = [_parsed_head(raw) for raw in self.data.get("heads") or []]
        return [h for h in heads if after is None or _when(h) > after], int(self.data["tree_size"])

    def consistency(self, first: int, second: int) -> list[bytes]:
        proof = self.proofs.get(f"{first}:{second}")
        if proof is None:
            raise WitnessError(
                f"文件中没有 {first} 到 {second} 的一致性证明（导出时请用 --since {first}）。",
                f"The file holds no consistency proof {first} → {second} (export it with --since {first}).",
            )
        return [bytes.fromhex(p) for p in proof]


class FileSource(HeadsSource):
    """A file written by ``zhifa ledger heads --out FILE [--since N]`` (heads plus their proofs)."""

    def __init__(self, path: str) -> None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WitnessError(
                f"无法读取签名树头文件：{path}", f"Cannot read the heads file {path}: {exc}"
            ) from exc
        if not isinstance(data, dict) or data.get("format") != HEADS_FORMAT:
            raise WitnessError(f"不是签名树头文件：{path}", f"Not a {HEADS_FORMAT} file: {path}")
        super().__init__(data, path)


def source_for(value: str) -> HttpSource | FileSource:
    return HttpSource(value) if is_url(value) else FileSource(value)


def export_heads(since: int | None = None, limit: int = 1000) -> dict[str, Any]:
    """What ``zhifa ledger heads --out`` writes: the key, the newest ``limit`` heads (newest first), the log's
    size and the consistency proofs a witness holding a head of size ``since`` needs (since → oldest exported
    → … → newest, by size)."""
    heads = [head_public(h) for h in SignedTreeHead.objects.order_by("-id")[:limit]]
    proofs: dict[str, list[str]] = {}
    current = selectors.ledger_size()
    ordered = sorted(heads, key=lambda h: (_when(h), h["id"]))
    # The pairs the witness asks for: each new head (oldest first) against the largest it holds so far.
    largest = since
    for head in ordered:
        size = head["tree_size"]
        if largest is not None and size != largest and max(size, largest) <= current:
            low, high = min(size, largest), max(size, largest)
            proofs[f"{low}:{high}"] = [p.hex() for p in selectors.ledger_consistency_proof(low, high).proof]
        largest = size if largest is None else max(largest, size)
    return {
        "format": HEADS_FORMAT,
        "log": signing.LOG_ID,
        "public_key_pem": selectors.ledger_public_key_pem(),
        "tree_size": current,
        "heads": heads,
        "proofs": proofs,
    }


# --- the store ------------------------------------------------------------------------------------------------


def load_store(location: str) -> dict[str, Any]:
    """A witness store from a file or an http(s) URL (``verify --witness``)."""
    if is_url(location):
        data = fetch_json(location)
    else:
        try:
            data = json.loads(Path(location).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WitnessError(
                f"无法读取见证文件：{location}", f"Cannot read the witness store {location}: {exc}"
            ) from exc
    if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
        raise WitnessError(f"不是见证文件：{location}", f"Not a {STORE_FORMAT} store: {location}")
    return data


def save_store(path: Path, store: dict[str, Any]) -> None:
    """Written to a temporary file beside it and renamed into place: a crash never leaves half a store."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".witness-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(store, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class WitnessReport:
    new_heads: int = 0
    largest: dict[str, Any] | None = None
    source_size: int = 0
    errors: list[WitnessError] = field(default_factory=list)


def new_store(source_name: str) -> dict[str, Any]:
    """An empty witness store (the file's content, or a JSON column of ``zhifa.exchange``)."""
    return {"format": STORE_FORMAT, "log": signing.LOG_ID, "source": source_name, "heads": []}


def witness(source: HttpSource | HeadsSource, store_path: Path, keep: int = DEFAULT_KEEP) -> WitnessReport:
    """Fetch, check and store the source's new heads; raise :class:`WitnessError` at the first that fails
    (the heads checked before it are kept)."""
    store = load_store(str(store_path)) if store_path.exists() else new_store(source.name)
    try:
        return witness_into(source, store, keep)
    finally:
        if store.get("public_key_pem"):  # nothing to keep before the key is pinned
            save_store(store_path, store)


def witness_into(
    source: HttpSource | HeadsSource, store: dict[str, Any], keep: int = DEFAULT_KEEP
) -> WitnessReport:
    """:func:`witness` on a store held in memory: ``store`` is updated in place with the heads checked (also
    when a later head fails: the caller saves it either way)."""
    published_pem = source.public_key_pem()
    published_raw = public_key_raw(published_pem)
    if store.get("public_key_pem"):
        pinned_raw = public_key_raw(store["public_key_pem"])
        if pinned_raw != published_raw:
            raise WitnessError(
                f"来源公布的公钥（{signing.key_fingerprint(published_raw)[:16]}…）与见证时固定的公钥"
                f"（{signing.key_fingerprint(pinned_raw)[:16]}…）不同。",
                "The source publishes a different public key than the one pinned in the store.",
            )
    else:
        store["public_key_pem"] = published_pem
        store["public_key_sha256"] = signing.key_fingerprint(published_raw)
    key_raw = public_key_raw(store["public_key_pem"])
    held: list[dict[str, Any]] = list(store.get("heads") or [])
    largest = max(held, key=lambda h: h["tree_size"]) if held else None
    after = max((_when(h) for h in held), default=None)
    new_heads, source_size = source.heads_since(after)
    report = WitnessReport(source_size=source_size)
    try:
        # The first run trusts the newest head (and the key) as they are; later runs check the newest new ones.
        checked = sorted(new_heads, key=_when)[-(MAX_CHECKED if held else 1) :]
        for head in checked:
            _check_new_head(source, store, head, largest, key_raw)
            held.append(head)
            report.new_heads += 1
            if largest is None or head["tree_size"] > largest["tree_size"]:
                largest = head
        if largest is not None and source_size < largest["tree_size"]:
            raise WitnessError(
                f"来源账本现有 {source_size} 条记录，少于已见证的签名树头（{largest['tree_size']} 条）："
                "账本被截短或回滚。",
                f"The source's log has {source_size} entries, fewer than the witnessed head of"
                f" {largest['tree_size']}: truncated or rolled back.",
            )
    finally:
        held.sort(key=lambda h: (h["tree_size"], _when(h)))
        # Every head held is consistent with the largest, so the largest alone carries the proof; the
        # others stay as a record, the newest ``keep`` of them.
        if largest is not None and len(held) > keep:
            kept = held[-keep:]
            held = kept if largest in kept else [largest, *kept[1:]]
        store["heads"] = held
        store["source"] = source.name
    report.largest = largest
    return report


def _check_new_head(
    source: HttpSource | HeadsSource,
    store: dict[str, Any],
    head: dict[str, Any],
    largest: dict[str, Any] | None,
    key_raw: bytes,
) -> None:
    label_zh = f"签名树头（大小 {head['tree_size']}，{head['signed_at']}）"
    label_en = f"signed head (size {head['tree_size']}, {head['signed_at']})"
    algorithm = store.setdefault("hash_algorithm", head["hash_algorithm"])
    if head["hash_algorithm"] != algorithm or algorithm not in merkle.ALGORITHMS:
        raise WitnessError(f"{label_zh}的哈希算法与见证的不同。", f"{label_en}: hash algorithm differs.")
    if not head_signature_ok(head, key_raw):
        raise WitnessError(f"{label_zh}的签名无效。", f"{label_en}: signature does not verify.")
    if largest is None:
        return
    old, new = (largest, head) if head["tree_size"] >= largest["tree_size"] else (head, largest)
    proof = (
        [] if old["tree_size"] == new["tree_size"] else source.consistency(old["tree_size"], new["tree_size"])
    )
    if not merkle.verify_consistency(
        old["tree_size"],
        new["tree_size"],
        bytes.fromhex(old["root"]),
        bytes.fromhex(new["root"]),
        proof,
        algorithm,
    ):
        raise WitnessError(
            f"{label_zh}与已见证的签名树头（大小 {largest['tree_size']}）不一致：账本被改写。",
            f"{label_en} is inconsistent with the witnessed head of size {largest['tree_size']}: the log was"
            " rewritten.",
        )


@dataclass(frozen=True)
class WitnessedHeads:
    """What ``verify --witness`` checks the local log against."""

    key_raw: bytes
    heads: list[tuple[int, bytes]]  # (tree_size, root)
    invalid: list[str]  # heads of the store whose signature does not verify with its pinned key


def witnessed_heads(location: str) -> WitnessedHeads:
    store = load_store(location)
    key_raw = public_key_raw(str(store.get("public_key_pem") or ""))
    heads: list[tuple[int, bytes]] = []
    invalid: list[str] = []
    for raw in store.get("heads") or []:
        head = _parsed_head(raw)
        if head_signature_ok(head, key_raw):
            heads.append((head["tree_size"], bytes.fromhex(head["root"])))
        else:
            invalid.append(f"{head['tree_size']}@{head['signed_at']}")
    return WitnessedHeads(key_raw=key_raw, heads=heads, invalid=invalid)
