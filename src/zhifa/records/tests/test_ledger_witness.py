"""Trust anchored outside the database (issue 18): published heads, a witness, and the four attacks.

The "remote instance" is this test database served through Django's test client (``witness.fetch_json`` is
replaced by a client GET); the witness keeps its heads in a JSON file, as on another machine.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhifa.core import clock
from zhifa.records import merkle, selectors, services, signing, witness
from zhifa.records.ledger import changes_digest
from zhifa.records.models import LedgerEntry, LedgerNode, SignedTreeHead
from zhifa.records.services import ledger_sign
from zhifa.records.tests.tamper import without_triggers
from zhifa.records.verify import _Tree, verify_ledger

pytestmark = pytest.mark.django_db

REMOTE = "http://remote.example"


@pytest.fixture
def remote(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Route the witness's HTTP GETs to this test database's API; returns the URLs fetched."""
    fetched: list[str] = []
    client = Client()

    def via_client(url: str) -> Any:
        fetched.append(url)
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code >= 400:
            raise witness.WitnessError(f"HTTP {response.status_code}", response.content.decode()[:300])
        return response.json()

    monkeypatch.setattr(witness, "fetch_json", via_client)
    return fetched


def _witness(store: Path, source: str = REMOTE) -> None:
    call_command("ledger", "witness", "--from", source, "--store", str(store))


def _verify(store: Path) -> None:
    call_command("ledger", "verify", "--witness", str(store))


def _rewrite_consistently(seq: int) -> None:
    """An attacker with write access to the database: new changes for entry ``seq`` and every hash above
    it recomputed, so that the database alone is self-consistent."""
    entry = LedgerEntry.objects.get(seq=seq)
    new_changes = '{"n":"篡改"}'
    digest = changes_digest(new_changes, "sm3")
    leaf = entry.leaf_data.replace(entry.changes_digest, digest)
    without_triggers(
        "records_ledgerentry",
        "UPDATE records_ledgerentry SET changes = %s, changes_digest = %s, leaf_data = %s, leaf_hash = %s"
        " WHERE seq = %s",
        [new_changes, digest, leaf, merkle.leaf_hash(leaf.encode(), "sm3"), seq],
    )
    _rebuild_nodes()


def _rebuild_nodes() -> None:
    without_triggers("records_ledgernode", "DELETE FROM records_ledgernode")
    tree = _Tree("sm3")
    nodes = []
    for leaf_hash in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True):
        nodes += [LedgerNode(level=lv, index=ix, hash=h) for lv, ix, h in tree.add(bytes(leaf_hash))]
    LedgerNode.objects.bulk_create(nodes)


def _delete_heads(min_size: int = 0) -> None:
    without_triggers(
        "records_signedtreehead", "DELETE FROM records_signedtreehead WHERE tree_size >= %s", [min_size]
    )


def _truncate(size: int) -> None:
    """Delete the entries from ``size`` on, their nodes and the heads that cover them; set the head's size."""
    without_triggers("records_ledgerentry", "DELETE FROM records_ledgerentry WHERE seq >= %s", [size])
    _rebuild_nodes()
    _delete_heads(size + 1)
    from zhifa.records.models import LedgerHead

    LedgerHead.objects.filter(pk=1).update(size=size)


# --- the published heads ---------------------------------------------------------------------------------------


def test_heads_are_published_newest_first_keyset_paged_with_the_public_key(append: Any) -> None:
    client = Client()
    for _ in range(3):
        append(2)
        ledger_sign()
    first = client.get("/api/portal/ledger/heads?limit=2").json()
    assert [h["tree_size"] for h in first["items"]] == [6, 4]
    assert first["tree_size"] == 6 and first["next_cursor"]
    second = client.get(f"/api/portal/ledger/heads?limit=2&cursor={first['next_cursor']}").json()
    assert [h["tree_size"] for h in second["items"]] == [2]
    assert second["next_cursor"] is None
    head = first["items"][0]
    assert head["root"] == selectors.ledger_root(6).hex()
    assert head["hash_algorithm"] == "sm3" and head["signature_algorithm"] == "ed25519"
    key = client.get("/api/portal/ledger/public-key").json()
    raw = witness.public_key_raw(key["public_key_pem"])
    assert key["public_key_sha256"] == signing.key_fingerprint(raw)
    assert witness.head_signature_ok(witness._parsed_head(head), raw)
    assert client.get("/api/portal/ledger/heads?limit=0").status_code == 422
    assert client.get("/api/portal/ledger/heads?cursor=99999999999999999999").status_code == 422


def test_the_consistency_endpoint_gives_the_rfc_proof_of_a_naive_recomputation(append: Any) -> None:
    entries = append(13)
    leaves = [e.leaf_data.encode() for e in entries]
    client = Client()
    for first, second in ((0, 13), (1, 13), (4, 13), (5, 8), (7, 7), (8, 13), (12, 13)):
        body = client.get(f"/api/portal/ledger/consistency?first={first}&second={second}").json()
        naive = merkle.consistency_proof(leaves[:second], first, "sm3")
        assert [bytes.fromhex(p) for p in body["proof"]] == naive
        assert body["second_root"] == merkle.root(leaves[:second], "sm3").hex()
        assert merkle.verify_consistency(
            first,
            second,
            bytes.fromhex(body["first_root"]),
            bytes.fromhex(body["second_root"]),
            naive,
            "sm3",
        )
    refused = client.get("/api/portal/ledger/consistency?first=5&second=14")
    assert refused.status_code == 422 and refused.json()["code"] == "ledger_bad_size"
    assert client.get("/api/portal/ledger/consistency?first=6&second=5").status_code == 422


def test_the_atom_feed_lists_the_signed_heads(append: Any) -> None:
    append(3)
    ledger_sign()
    response = Client().get("/public/ledger/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    assert "3 条记录" in entries[0].findtext("{http://www.w3.org/2005/Atom}title", "")


# --- signing on append ----------------------------------------------------------------------------------------


@pytest.fixture
def sign_every_minute(settings: Any) -> None:
    settings.ZHIFA_LEDGER_SIGN_INTERVAL = 60
    services.forget_sign_cache()
    yield
    services.forget_sign_cache()


def test_appends_sign_a_head_at_least_once_a_minute(append: Any, sign_every_minute: None) -> None:
    append(1)
    assert list(SignedTreeHead.objects.values_list("tree_size", flat=True)) == [1]
    append(3)  # within the minute: no new head
    assert SignedTreeHead.objects.count() == 1
    with clock.set_during(clock.now() + dt.timedelta(seconds=61)):
        append(1)
        assert list(SignedTreeHead.objects.values_list("tree_size", flat=True)) == [5, 1]
        assert verify_ledger().ok


def test_a_failure_to_sign_never_refuses_the_append(
    append: Any, sign_every_minute: None, settings: Any
) -> None:
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = "/nonexistent/zhifa-ledger.pem"
    append(2)
    assert selectors.ledger_size() == 2 and not SignedTreeHead.objects.exists()


# --- the witness between two instances ------------------------------------------------------------------------


def test_the_witness_follows_a_growing_log_over_http(append: Any, remote: list[str], tmp_path: Path) -> None:
    store = tmp_path / "witness" / "remote.json"
    append(5)
    ledger_sign()
    _witness(store)
    append(6)
    ledger_sign()
    append(2)
    ledger_sign()
    _witness(store)
    held = json.loads(store.read_text())
    assert [h["tree_size"] for h in held["heads"]] == [5, 11, 13]
    assert any("/consistency?first=5&second=11" in url for url in remote)
    assert any("/consistency?first=11&second=13" in url for url in remote)
    _witness(store)  # nothing new: still fine
    _verify(store)


def test_the_witness_reads_a_heads_file_too(append: Any, tmp_path: Path) -> None:
    store, heads = tmp_path / "w.json", tmp_path / "heads.json"
    append(4)
    ledger_sign()
    call_command("ledger", "heads", "--out", str(heads))
    _witness(store, str(heads))
    append(3)
    ledger_sign()
    append(3)
    ledger_sign()
    call_command("ledger", "heads", "--out", str(heads), "--since", "4")
    _witness(store, str(heads))
    assert [h["tree_size"] for h in json.loads(store.read_text())["heads"]] == [4, 7, 10]
    _verify(store)


def test_the_witness_refuses_a_rewritten_log_and_a_new_key(
    append: Any, remote: list[str], tmp_path: Path, settings: Any
) -> None:
    store = tmp_path / "w.json"
    append(8)
    ledger_sign()
    _witness(store)
    _rewrite_consistently(3)
    _delete_heads()
    append(2)
    ledger_sign()  # re-signed with the platform's key
    with pytest.raises(CommandError, match="不一致"):
        _witness(store)
    assert [h["tree_size"] for h in json.loads(store.read_text())["heads"]] == [8]  # the forged head not kept

    other = tmp_path / "other.pem"
    signing._create_key_file(other)
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = str(other)
    with pytest.raises(CommandError, match="公钥"):
        _witness(store)


def test_the_witness_notices_a_source_whose_log_shrank(
    append: Any, remote: list[str], tmp_path: Path
) -> None:
    store = tmp_path / "w.json"
    append(9)
    ledger_sign()
    _witness(store)
    _truncate(7)
    append(1)
    ledger_sign()  # a new head of 8 entries, signed after the witnessed head of 9
    with pytest.raises(CommandError, match="截短或回滚"):
        _witness(store)


# --- the four attacks: caught by `verify --witness`, not by `verify` alone -----------------------------------


def test_attack_rewrite_plus_deleted_heads(append: Any, remote: list[str], tmp_path: Path) -> None:
    store = tmp_path / "w.json"
    append(10)
    ledger_sign()
    _witness(store)
    _rewrite_consistently(4)
    _delete_heads()
    assert verify_ledger().ok  # the database alone no longer tells
    with pytest.raises(CommandError, match="根哈希与见证的签名树头不符"):
        _verify(store)


def test_attack_truncation_of_the_newest_entries(append: Any, remote: list[str], tmp_path: Path) -> None:
    store = tmp_path / "w.json"
    append(10)
    ledger_sign()
    _witness(store)
    _truncate(9)  # the newest entry deleted, with the heads that covered it
    assert verify_ledger().ok
    with pytest.raises(CommandError, match="短于见证的签名树头"):
        _verify(store)


def test_attack_rollback_to_an_older_state(append: Any, remote: list[str], tmp_path: Path) -> None:
    store = tmp_path / "w.json"
    append(6)
    ledger_sign()
    append(6)
    ledger_sign()
    _witness(store)  # the witness saw 12 entries
    _truncate(6)  # the database as an older backup had it …
    assert verify_ledger().ok
    with pytest.raises(CommandError, match="短于见证的签名树头"):
        _verify(store)
    append(10)  # … and it goes on from there: longer than the witnessed head, but another log
    ledger_sign()
    assert verify_ledger().ok
    with pytest.raises(CommandError, match="根哈希与见证的签名树头不符"):
        _verify(store)


def test_attack_re_signing_with_the_key_or_a_new_key(
    append: Any, remote: list[str], tmp_path: Path, settings: Any
) -> None:
    store = tmp_path / "w.json"
    append(8)
    ledger_sign()
    _witness(store)
    _rewrite_consistently(2)
    _delete_heads()
    ledger_sign()  # the stolen key signs the rewritten log
    assert verify_ledger().ok
    with pytest.raises(CommandError, match="根哈希与见证的签名树头不符"):
        _verify(store)

    other = tmp_path / "other.pem"  # or a key of the attacker's own, with its heads
    signing._create_key_file(other)
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = str(other)
    _delete_heads()
    ledger_sign()
    assert verify_ledger().ok
    with pytest.raises(CommandError, match="密钥被替换"):
        _verify(store)


def test_a_forged_witness_store_is_refused(append: Any, remote: list[str], tmp_path: Path) -> None:
    store = tmp_path / "w.json"
    append(3)
    ledger_sign()
    _witness(store)
    data = json.loads(store.read_text())
    data["heads"][0]["root"] = "00" * 32
    store.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="签名无效"):
        _verify(store)
