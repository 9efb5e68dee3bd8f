"""`zhifa ledger prove | consistency | sign | status`, the signing key, and refusals of bad input."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.records import merkle, signing
from zhifa.records.selectors import ledger_public_key_pem, ledger_root

pytestmark = pytest.mark.django_db


def run(*args: str) -> Any:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out)
    return out.getvalue()


def test_signing_key_is_created_on_first_use_readable_only_by_its_owner(ledger_key_file: Path) -> None:
    assert not ledger_key_file.exists()
    key = signing.load_signing_key()
    assert key.path == ledger_key_file
    assert stat.S_IMODE(ledger_key_file.stat().st_mode) == 0o600
    assert signing.load_signing_key().public_key_raw == key.public_key_raw  # the same key the next time


def test_explicit_key_file_must_exist(settings: Any, tmp_path: Path) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(ImproperlyConfigured):
        signing.load_signing_key()


def test_signed_head_verifies_with_the_published_public_key(append: Any) -> None:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    append(5)
    head = json.loads(run("sign"))
    assert head["tree_size"] == 5 and head["root"] == ledger_root(5).hex()
    published = load_pem_public_key(ledger_public_key_pem().encode())
    published.verify(bytes.fromhex(head["signature"]), head["signed_message"].encode())  # raises if invalid
    message = json.loads(head["signed_message"])
    assert message == {
        "log": "zhifa-ledger-v1",
        "tree_size": 5,
        "root": head["root"],
        "signed_at": head["signed_at"],
        "hash_algorithm": "sm3",
    }
    with pytest.raises(InvalidSignature):
        published.verify(bytes.fromhex(head["signature"]), head["signed_message"].replace("5", "6").encode())


def test_prove_prints_a_proof_that_verifies_against_the_signed_head(append: Any) -> None:
    append(11)
    run("sign")
    append(3)  # newer entries are not yet signed: the proof defaults to the signed size
    out = json.loads(run("prove", "6"))
    assert out["tree_size"] == 11 and out["signed_head"]["tree_size"] == 11
    assert out["root"] == out["signed_head"]["root"]
    proof = [bytes.fromhex(p) for p in out["proof"]]
    assert merkle.verify_inclusion(out["leaf_data"].encode(), 6, 11, proof, bytes.fromhex(out["root"]))
    assert out["leaf_hash"] == merkle.leaf_hash(out["leaf_data"].encode()).hex()
    later = json.loads(run("prove", "12"))
    assert later["tree_size"] == 14
    bigger = json.loads(run("prove", "6", "--size", "14"))
    assert bigger["tree_size"] == 14


def test_consistency_prints_a_proof_that_verifies(append: Any) -> None:
    append(9)
    out = json.loads(run("consistency", "3", "9"))
    assert merkle.verify_consistency(
        3,
        9,
        bytes.fromhex(out["old_root"]),
        bytes.fromhex(out["new_root"]),
        [bytes.fromhex(p) for p in out["proof"]],
    )


def test_status_reports_size_root_and_key(append: Any) -> None:
    append(4)
    out = json.loads(run("status"))
    assert out["size"] == 4 and out["root"] == ledger_root(4).hex() and out["hash_algorithm"] == "sm3"
    assert out["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_verify_of_an_intact_ledger_exits_zero(append: Any) -> None:
    append(3)
    assert "账本校验通过" in run("verify")


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("prove", "99"), "没有第 99 号记录"),
        (("prove", "1", "--size", "1"), "不在前 1 条"),
        (("prove", "1", "--size", "50"), "树大小 50 无效"),
        (("consistency", "4", "2"), "无效"),
        (("consistency", "1", "50"), "无效"),
        (("verify", "--chunk-size", "0"), "chunk-size"),
    ],
)
def test_unknown_entries_and_bad_sizes_exit_non_zero_with_a_clear_error(
    append: Any, args: tuple[str, ...], text: str
) -> None:
    append(3)
    with pytest.raises(CommandError, match=text):
        run(*args)
