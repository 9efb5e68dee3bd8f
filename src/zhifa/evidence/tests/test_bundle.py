# ruff: noqa: F811  (the imported `world` fixture is a parameter of the tests below)
"""案件证据包 (issue 4 §7): a bundle verifies offline with the standard library alone, and every tampering
is named — an evidence byte, a leaf, the head's signature, an entry dropped, a change rewritten.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld, opened, world  # noqa: F401  (the `world` fixture)
from zhifa.evidence import bundle
from zhifa.evidence import services as evidence_services
from zhifa.evidence.models import Evidence
from zhifa.evidence.storage import evidence_storage
from zhifa.evidence.tests.conftest import JPEG, PDF, evidence_dirs  # noqa: F401  (autouse fixture)
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.records.models import LedgerEntry
from zhifa.records.services import ledger_sign, record_append
from zhifa.records.verifier import standalone

pytestmark = pytest.mark.django_db


def _store(world: CaseWorld, case: Case, content: bytes, name: str, kind: str) -> Evidence:
    return evidence_services.evidence_store(
        actor=world.officer_user,
        upload=hashed_upload_from(io.BytesIO(content), name),
        kind=kind,
        stage="investigation",
        object_type="cases.case",
        object_id=str(case.pk),
    )


@pytest.fixture
def case(world: CaseWorld) -> Case:
    """An opened case with a photo and a PDF, one of them downloaded (调阅), and unrelated entries around it."""
    with transaction.atomic():
        record_append(action="case.note", object_type="cases.case", object_id="999999", changes={"x": 1})
    case = opened(world)
    photo = _store(world, case, JPEG, "现场照片.JPG", "photo")
    _store(world, case, PDF, "询问笔录.pdf", "document")
    evidence_services.evidence_access(world.officer_user, photo.pk, "download", "制作案卷")
    with transaction.atomic():
        record_append(action="case.note", object_type="cases.case", object_id="999998", changes={"y": 2})
    return case


def _export(spec: str, out: Path, *extra: str) -> str:
    stdout = io.StringIO()
    call_command("ledger", "export-case", spec, "--out", str(out), *extra, stdout=stdout)
    return stdout.getvalue()


def _unzip(path: Path, folder: Path) -> Path:
    with zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
    return folder


def _run_verifier(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -I: isolated (no PYTHONPATH, no user site); -S: no site-packages, so zhifa (installed there) is not
    # importable and only the standard library is.
    return subprocess.run(
        [sys.executable, "-I", "-S", "verify.py", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


@pytest.fixture
def unpacked(case: Case, tmp_path: Path) -> Path:
    out = tmp_path / "bundle.zip"
    _export(f"cases.case:{case.pk}", out)
    return _unzip(out, tmp_path / "unpacked")


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _lines(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "entries.jsonl").read_text(encoding="utf-8").splitlines()]


def _write_lines(folder: Path, lines: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (folder / "entries.jsonl").write_text(text, encoding="utf-8")


# --- the bundle verifies --------------------------------------------------------------------------------------


def test_verifier_runs_without_zhifa_importable(unpacked: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-I", "-S", "-c", "import zhifa"], capture_output=True, cwd=unpacked
    )
    assert probe.returncode != 0  # the isolation the next tests rely on is real


def test_bundle_of_a_case_with_evidence_verifies_offline_with_exit_0(case: Case, unpacked: Path) -> None:
    result = _run_verifier(unpacked)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "校验通过" in result.stdout and "VERIFIED" in result.stdout
    assert "失败" not in result.stdout


def test_bundle_holds_the_cases_entries_its_evidence_entries_and_their_files(
    case: Case, unpacked: Path
) -> None:
    manifest = _manifest(unpacked)
    evidence = list(Evidence.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("id"))
    evidence_ids = [str(e.pk) for e in evidence]
    expected = list(
        LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
            "seq", flat=True
        )
    ) + list(
        LedgerEntry.objects.filter(object_type="evidence.evidence", object_id__in=evidence_ids).values_list(
            "seq", flat=True
        )
    )
    assert manifest["entries"] == sorted(expected)
    actions = [json.loads(line["leaf_data"])["action"] for line in _lines(unpacked)]
    assert {"case.register_source", "case.open", "evidence.store", "record.access"} <= set(actions)
    assert "case.note" not in actions  # other objects' entries stay out
    assert manifest["object"] == {"type": "cases.case", "id": str(case.pk), "label": str(case)}
    assert manifest["signed_head"]["tree_size"] == manifest["tree_size"] > max(manifest["entries"])
    assert manifest["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert (unpacked / "evidence" / f"{hashlib.sha256(JPEG).hexdigest()}.jpg").read_bytes() == JPEG
    assert (unpacked / "evidence" / f"{hashlib.sha256(PDF).hexdigest()}.pdf").read_bytes() == PDF
    assert (unpacked / "documents").is_dir()
    line = _lines(unpacked)[0]
    stored = LedgerEntry.objects.get(seq=line["seq"])
    assert (line["leaf_data"], line["changes"], line["leaf_hash"]) == (
        stored.leaf_data,
        stored.changes,
        bytes(stored.leaf_hash).hex(),
    )


def test_verifier_with_pure_python_sm3_also_passes(case: Case, unpacked: Path) -> None:
    script = (unpacked / "verify.py").read_text(encoding="utf-8")
    forced = script.replace("USE_PURE_SM3 = not _openssl_sm3_available()", "USE_PURE_SM3 = True")
    assert forced != script
    (unpacked / "verify.py").write_text(forced, encoding="utf-8")
    result = _run_verifier(unpacked)
    assert result.returncode == 0, result.stdout
    assert "纯 Python" in result.stdout


def test_pinned_fingerprint_must_match(case: Case, unpacked: Path) -> None:
    right = _manifest(unpacked)["public_key_sha256"]
    assert _run_verifier(unpacked, "--fingerprint", right).returncode == 0
    wrong = _run_verifier(unpacked, "--fingerprint", "00" * 32)
    assert wrong.returncode == 1 and "指纹与指定值不符" in wrong.stdout


def test_export_signs_a_new_head_when_the_latest_does_not_cover_the_entries(
    case: Case, tmp_path: Path
) -> None:
    old = ledger_sign()
    with transaction.atomic():
        record_append(action="case.note", obj=case, changes={"later": True})
    _export(f"cases.case:{case.pk}", tmp_path / "b.zip")
    manifest = _manifest(_unzip(tmp_path / "b.zip", tmp_path / "u"))
    assert manifest["tree_size"] > old.tree_size
    assert _run_verifier(tmp_path / "u").returncode == 0


# --- tampering is named ------------------------------------------------------------------------------------------


def _fails_naming(folder: Path, *needles: str) -> str:
    result = _run_verifier(folder)
    assert result.returncode == 1, result.stdout
    assert "校验未通过" in result.stdout
    for needle in needles:
        assert needle in result.stdout, f"{needle!r} not in:\n{result.stdout}"
    return result.stdout


def test_one_byte_changed_in_an_evidence_file_is_named(unpacked: Path) -> None:
    path = unpacked / "evidence" / f"{hashlib.sha256(JPEG).hexdigest()}.jpg"
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    _fails_naming(unpacked, path.name, "文件内容被改动", "file altered")


def test_a_changed_leaf_in_entries_jsonl_is_named(unpacked: Path) -> None:
    lines = _lines(unpacked)
    lines[1]["leaf_data"] = lines[1]["leaf_data"].replace('"place":""', '"place":"别处"')
    assert '"place":"别处"' in lines[1]["leaf_data"]
    _write_lines(unpacked, lines)
    _fails_naming(unpacked, f"第 {lines[1]['seq']} 号记录", "叶子哈希与叶子数据不符")


def test_a_leaf_rewritten_with_a_matching_leaf_hash_fails_the_inclusion_proof(unpacked: Path) -> None:
    lines = _lines(unpacked)
    algorithm = _manifest(unpacked)["hash_algorithm"]
    leaf = lines[0]["leaf_data"].replace('"place":""', '"place":"别处"')
    lines[0]["leaf_data"] = leaf
    lines[0]["leaf_hash"] = standalone.leaf_hash(leaf.encode(), algorithm).hex()
    _write_lines(unpacked, lines)
    _fails_naming(unpacked, f"第 {lines[0]['seq']} 号记录", "包含证明不能导出已签名的根哈希")


def test_rewritten_changes_do_not_match_the_digest_in_the_leaf(unpacked: Path) -> None:
    lines = _lines(unpacked)
    lines[0]["changes"] = lines[0]["changes"].replace("销售过期食品", "销售合格食品")
    _write_lines(unpacked, lines)
    _fails_naming(unpacked, f"第 {lines[0]['seq']} 号记录", "变更内容与叶子数据中的摘要不符")


def test_a_changed_signature_is_named(unpacked: Path) -> None:
    manifest = _manifest(unpacked)
    signature = bytearray.fromhex(manifest["signed_head"]["signature"])
    signature[5] ^= 0x80
    manifest["signed_head"]["signature"] = signature.hex()
    _write_manifest(unpacked, manifest)
    _fails_naming(unpacked, "签名树头的签名无效")


def test_an_entry_dropped_from_the_bundle_is_named(unpacked: Path) -> None:
    lines = _lines(unpacked)
    dropped = lines.pop(1)
    _write_lines(unpacked, lines)
    _fails_naming(unpacked, "记录不完整", f"缺少 [{dropped['seq']}]")


def test_an_entry_dropped_from_the_bundle_and_its_manifest_list_is_caught_by_the_signed_statement(
    unpacked: Path,
) -> None:
    lines = _lines(unpacked)
    dropped = lines.pop(1)
    _write_lines(unpacked, lines)
    manifest = _manifest(unpacked)
    manifest["entries"].remove(dropped["seq"])
    _write_manifest(unpacked, manifest)
    _fails_naming(unpacked, "与签名的导出声明不符")


def test_a_whole_bundle_resigned_with_another_key_fails_against_the_pinned_key(
    case: Case, unpacked: Path, tmp_path: Path
) -> None:
    """Consistent forgery needs another key; a reader who pins the published key catches it."""
    manifest = _manifest(unpacked)
    forger = Ed25519PrivateKey.generate()
    public = forger.public_key()
    manifest["public_key_pem"] = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    head = manifest["signed_head"]
    head["signature"] = forger.sign(head["signed_message"].encode()).hex()
    manifest["statement_signature"] = forger.sign(manifest["statement"].encode()).hex()
    _write_manifest(unpacked, manifest)
    assert _run_verifier(unpacked).returncode == 0  # self-consistent …
    published = tmp_path / "published.pem"
    from zhifa.records.selectors import ledger_public_key_pem

    published.write_text(ledger_public_key_pem(), encoding="utf-8")
    result = _run_verifier(unpacked, "--public-key", str(published))
    assert result.returncode == 1 and "与指定的平台公钥不一致" in result.stdout  # … but not the platform's


def test_unreadable_bundle_exits_2(tmp_path: Path) -> None:
    (tmp_path / "verify.py").write_bytes((Path(standalone.__file__)).read_bytes())
    result = _run_verifier(tmp_path)
    assert result.returncode == 2 and "manifest.json" in result.stdout


# --- what the command accepts ---------------------------------------------------------------------------------------


def test_case_number_and_bare_case_id_name_the_case(case: Case, tmp_path: Path) -> None:
    assert case.number
    assert bundle.resolve_target(case.number) == bundle.resolve_target(str(case.pk))
    assert bundle.resolve_target(case.number).object_id == str(case.pk)
    _export(case.number, tmp_path / "by-number.zip")
    assert _manifest(_unzip(tmp_path / "by-number.zip", tmp_path / "n"))["object"]["id"] == str(case.pk)


def test_a_party_is_exported_by_app_label_model_and_id(world: CaseWorld, tmp_path: Path) -> None:
    with transaction.atomic():
        record_append(action="inspection.party.tag", obj=world.company, changes={"domains": ["market"]})
    _export(f"org.party:{world.company.pk}", tmp_path / "party.zip")
    folder = _unzip(tmp_path / "party.zip", tmp_path / "p")
    assert _manifest(folder)["evidence"] == []
    assert _run_verifier(folder).returncode == 0


@pytest.mark.parametrize(
    "spec", ["org.party:99999999", "cases.case:99999999", "示县市监罚〔2099〕1号", "nonsense"]
)
def test_an_unknown_object_is_refused_in_chinese(world: CaseWorld, spec: str, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到要导出的对象"):
        _export(spec, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_an_unknown_object_type_is_refused(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="对象类型无效"):
        _export("nosuch.thing:1", tmp_path / "x.zip")


def test_an_unknown_object_exits_non_zero_from_the_command_line(world: CaseWorld, tmp_path: Path) -> None:
    from zhifa.records.management.commands.ledger import Command

    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        Command(stderr=stderr).run_from_argv(["zhifa", "ledger", "export-case", "org.party:99999999"])
    assert exit_info.value.code != 0
    assert "找不到要导出的对象" in stderr.getvalue()


def test_export_by_a_named_user_records_the_export_as_a_retrieval_in_the_bundle(
    world: CaseWorld, case: Case, tmp_path: Path
) -> None:
    username = world.officer_user.get_username()
    _export(f"cases.case:{case.pk}", tmp_path / "b.zip", "--user", username, "--reason", "移送法院")
    folder = _unzip(tmp_path / "b.zip", tmp_path / "u")
    last = json.loads(_lines(folder)[-1]["changes"])
    assert last["purpose"] == "export" and last["reason"] == "移送法院"
    assert _run_verifier(folder).returncode == 0


def test_export_without_a_reason_for_a_named_user_is_refused(
    world: CaseWorld, case: Case, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="调阅事由"):
        _export(f"cases.case:{case.pk}", tmp_path / "b.zip", "--user", world.officer_user.get_username())


def test_an_evidence_file_altered_in_storage_fails_the_export_and_the_bundle_names_it(
    world: CaseWorld, case: Case, tmp_path: Path
) -> None:
    item = Evidence.objects.filter(object_type="cases.case", object_id=str(case.pk), kind="photo").get()
    path = Path(evidence_storage().path(item.storage_key))
    path.chmod(0o644)
    path.write_bytes(JPEG[:-1] + b"\x00")
    with pytest.raises(CommandError, match="证据文件与存证记录不符"):
        _export(f"cases.case:{case.pk}", tmp_path / "b.zip")
    folder = _unzip(tmp_path / "b.zip", tmp_path / "u")
    _fails_naming(folder, f"证据 #{item.pk}", "文件内容被改动")


# --- the verifier's primitives -------------------------------------------------------------------------------------


def test_pure_sm3_gives_the_standards_example_vectors() -> None:
    # GB/T 32905-2016, Appendix A: "abc" and "abcd" × 16.
    assert standalone.SM3(b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert standalone.SM3(b"abcd" * 16).hexdigest() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.binary(max_size=600), split=st.integers(min_value=0, max_value=600))
def test_pure_sm3_equals_hashlib_sm3_on_any_input_fed_in_any_pieces(data: bytes, split: int) -> None:
    pure = standalone.SM3()
    pure.update(data[:split])
    copy = pure.copy()
    pure.update(data[split:])
    copy.update(data[split:])
    expected = hashlib.new("sm3", data).hexdigest()
    assert pure.hexdigest() == copy.hexdigest() == expected


@settings(max_examples=25, deadline=None)
@given(message=st.binary(max_size=300), flip=st.integers(min_value=0, max_value=63))
def test_pure_ed25519_accepts_cryptographys_signatures_and_refuses_altered_ones(
    message: bytes, flip: int
) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signature = key.sign(message)
    assert standalone.ed25519_verify(public, message, signature)
    altered = bytearray(signature)
    altered[flip] ^= 0x01
    assert not standalone.ed25519_verify(public, message, bytes(altered))
    assert not standalone.ed25519_verify(public, message + b"x", signature)


def test_pure_ed25519_passes_rfc8032_test_vector_2() -> None:
    public = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
    signature = bytes.fromhex(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    )
    assert standalone.ed25519_verify(public, b"\x72", signature)
    assert not standalone.ed25519_verify(public, b"\x73", signature)


def test_standalone_inclusion_check_agrees_with_the_ledgers_merkle_module() -> None:
    from zhifa.records import merkle

    leaves = [f"leaf {i}".encode() for i in range(13)]
    root = merkle.root(leaves)
    for index in range(13):
        proof = merkle.inclusion_proof(leaves, index)
        leaf = standalone.leaf_hash(leaves[index], "sm3")
        assert standalone.verify_inclusion(leaf, index, 13, proof, root, "sm3")
        assert not standalone.verify_inclusion(leaf, (index + 1) % 13, 13, proof, root, "sm3")
