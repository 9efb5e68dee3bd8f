#!/usr/bin/env python3
"""zhifa 案件证据包校验程序 / zhifa case bundle verifier.

Run in the unzipped bundle folder:   python3 verify.py
Or name the folder:                   python3 verify.py /path/to/bundle
Pin the platform's published key:     python3 verify.py --fingerprint <SHA-256 of the public key, hex>
                                      python3 verify.py --public-key ledger-public.pem

Python 3.8 or later, standard library only. Exit status 0 only when every check holds; 1 when something
does not hold (each problem is named); 2 when the bundle cannot be read at all.

What it checks (the chain from a file to the platform's signature):

1. The signed tree head (签名树头): its Ed25519 signature over the signed message verifies with the public
   key in manifest.json (and with the pinned key, when given), and the message names the log, tree size,
   root and hash algorithm that manifest.json states.
2. The export statement (导出声明): the platform's Ed25519 signature over the list of entries, evidence files
   and documents of this bundle, so that an entry or file removed from the bundle is detected.
3. Every ledger entry in entries.jsonl: the stored changes hash to the changes digest written in the leaf
   data; the leaf hash is H(0x00 || leaf data) (RFC 6962 §2.1); the inclusion proof (RFC 9162 §2.1.3.2) leads
   from the leaf hash to the signed root; the entry belongs to this object or to one of its evidence items.
4. Every evidence file: its SM3 (GB/T 32905-2016) and SHA-256 digests and size equal those in manifest.json
   and those the ledger recorded when the file was stored (``evidence.store`` entry).
5. Every document under documents/: its digests equal those in the export statement.

SM3 uses ``hashlib.new("sm3")`` when this Python's OpenSSL has it, else the pure-Python implementation below
(slow on large video files, but exact).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hashlib
import json
import os
import sys

BUNDLE_FORMAT = "zhifa-case-bundle-v1"
LOG_ID = "zhifa-ledger-v1"
STATEMENT_PREFIX = b"zhifa-case-bundle-v1\n"
CHUNK = 1024 * 1024

# --- SM3 (GB/T 32905-2016) ------------------------------------------------------------------------------------

_SM3_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_M32 = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _M32


# T_j <<< (j mod 32), precomputed (GB/T 32905-2016 §5.3.3: T_j = 79cc4519 for j < 16, 7a879d8a after).
_SM3_T = tuple(_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64))


def _sm3_compress(v: list[int], block: bytes) -> list[int]:
    w = list(int.from_bytes(block[i : i + 4], "big") for i in range(0, 64, 4))
    for j in range(16, 68):
        x = w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)
        # P1(X) = X ^ (X <<< 15) ^ (X <<< 23)
        w.append(x ^ _rotl(x, 15) ^ _rotl(x, 23) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        a12 = _rotl(a, 12)
        ss1 = _rotl((a12 + e + _SM3_T[j]) & _M32, 7)
        ss2 = ss1 ^ a12
        if j < 16:
            ff = a ^ b ^ c
            gg = e ^ f ^ g
        else:
            ff = (a & b) | (a & c) | (b & c)
            gg = (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) & _M32
        tt2 = (gg + h + ss1 + w[j]) & _M32
        d, c, b, a = c, _rotl(b, 9), a, tt1
        h, g, f = g, _rotl(f, 19), e
        e = tt2 ^ _rotl(tt2, 9) ^ _rotl(tt2, 17)  # P0
    return [v[i] ^ x for i, x in enumerate((a, b, c, d, e, f, g, h))]


class SM3:
    """Pure-Python SM3 with hashlib's interface (``update``, ``digest``, ``hexdigest``, ``copy``)."""

    name = "sm3"
    digest_size = 32
    block_size = 64

    def __init__(self, data: bytes = b"") -> None:
        self._v = list(_SM3_IV)
        self._buffer = b""
        self._length = 0
        if data:
            self.update(data)

    def update(self, data: bytes) -> None:
        data = bytes(data)
        self._length += len(data)
        buffer = self._buffer + data
        full = len(buffer) - len(buffer) % 64
        v = self._v
        for i in range(0, full, 64):
            v = _sm3_compress(v, buffer[i : i + 64])
        self._v = v
        self._buffer = buffer[full:]

    def copy(self) -> SM3:
        clone = SM3()
        clone._v, clone._buffer, clone._length = list(self._v), self._buffer, self._length
        return clone

    def digest(self) -> bytes:
        bits = self._length * 8
        tail = self._buffer + b"\x80" + b"\x00" * ((55 - self._length) % 64) + bits.to_bytes(8, "big")
        v = list(self._v)
        for i in range(0, len(tail), 64):
            v = _sm3_compress(v, tail[i : i + 64])
        return b"".join(x.to_bytes(4, "big") for x in v)

    def hexdigest(self) -> str:
        return self.digest().hex()


def _openssl_sm3_available() -> bool:
    try:
        return hashlib.new("sm3", b"abc").hexdigest() == (
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )
    except ValueError:
        return False


USE_PURE_SM3 = not _openssl_sm3_available()


def new_hash(algorithm: str) -> object:
    """A hash object for ``sm3`` or ``sha256`` (SM3 from OpenSSL when present, else pure Python)."""
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "sm3":
        return SM3() if USE_PURE_SM3 else hashlib.new("sm3")
    raise ValueError(f"unknown hash algorithm: {algorithm!r}")


def hash_bytes(data: bytes, algorithm: str) -> bytes:
    h = new_hash(algorithm)
    h.update(data)  # type: ignore[attr-defined]
    return h.digest()  # type: ignore[attr-defined]


# --- Ed25519 signature verification (RFC 8032 §5.1.7, after its reference code in §6) --------------------------

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _inv(x: int) -> int:
    return pow(x, _P - 2, _P)


def _point_add(p1: tuple, p2: tuple) -> tuple:
    a = (p1[1] - p1[0]) * (p2[1] - p2[0]) % _P
    b = (p1[1] + p1[0]) * (p2[1] + p2[0]) % _P
    c = 2 * p1[3] * p2[3] * _D % _P
    d = 2 * p1[2] * p2[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _point_mul(s: int, point: tuple) -> tuple:
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _point_add(result, point)
        point = _point_add(point, point)
        s >>= 1
    return result


def _point_equal(p1: tuple, p2: tuple) -> bool:
    return (p1[0] * p2[2] - p2[0] * p1[2]) % _P == 0 and (p1[1] * p2[2] - p2[1] * p1[2]) % _P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * _inv(_D * y * y + 1) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _decompress(s: bytes) -> tuple | None:
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


_GY = 4 * _inv(5) % _P
_GX = _recover_x(_GY, 0)
_G = (_GX, _GY, 1, _GX * _GY % _P)  # type: ignore[operator]


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key`` (32 bytes)."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _decompress(public_key)
    if a is None:
        return False
    r_bytes = signature[:32]
    r = _decompress(r_bytes)
    if r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _Q:
        return False
    h = int.from_bytes(hashlib.sha512(r_bytes + public_key + message).digest(), "little") % _Q
    return _point_equal(_point_mul(s, _G), _point_add(r, _point_mul(h, a)))


# DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }
_ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def public_key_from_pem(pem: str) -> bytes:
    """The raw 32-byte Ed25519 key of a ``-----BEGIN PUBLIC KEY-----`` PEM; ValueError otherwise."""
    lines = [line.strip() for line in pem.strip().splitlines()]
    if not lines or lines[0] != "-----BEGIN PUBLIC KEY-----" or lines[-1] != "-----END PUBLIC KEY-----":
        raise ValueError("not a PEM public key")
    try:
        der = base64.b64decode("".join(lines[1:-1]), validate=True)
    except binascii.Error as exc:
        raise ValueError("bad base64 in the PEM public key") from exc
    if len(der) != 44 or not der.startswith(_ED25519_SPKI_PREFIX):
        raise ValueError("not an Ed25519 public key")
    return der[len(_ED25519_SPKI_PREFIX) :]


# --- RFC 6962 / RFC 9162 Merkle tree ------------------------------------------------------------------------------


def leaf_hash(data: bytes, algorithm: str) -> bytes:
    return hash_bytes(b"\x00" + data, algorithm)


def node_hash(left: bytes, right: bytes, algorithm: str) -> bytes:
    return hash_bytes(b"\x01" + left + right, algorithm)


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, proof: list[bytes], root: bytes, algorithm: str
) -> bool:
    """RFC 9162 §2.1.3.2: does the audit path lead from ``leaf`` (a leaf hash) at ``index`` to ``root``?"""
    if index < 0 or index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r, algorithm)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p, algorithm)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# --- the bundle -----------------------------------------------------------------------------------------------


def canonical(value: object) -> bytes:
    """Canonical JSON as the platform writes it (sorted keys, no spaces, UTF-8)."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


class Report:
    """Collects what held and what did not; prints each line in Chinese and English."""

    def __init__(self, out: object = None) -> None:
        self.out = out or sys.stdout
        self.problems: list[str] = []
        self.passed = 0

    def _print(self, text: str) -> None:
        print(text, file=self.out)  # type: ignore[arg-type]

    def section(self, zh: str, en: str) -> None:
        self._print("")
        self._print(f"== {zh} / {en}")

    def ok(self, zh: str, en: str) -> None:
        self.passed += 1
        self._print(f"  [通过 OK]   {zh} / {en}")

    def fail(self, zh: str, en: str) -> None:
        line = f"{zh} / {en}"
        self.problems.append(line)
        self._print(f"  [失败 FAIL] {line}")

    def info(self, zh: str, en: str) -> None:
        self._print(f"  {zh} / {en}")

    def check(self, condition: bool, zh: str, en: str, zh_bad: str, en_bad: str) -> bool:
        if condition:
            self.ok(zh, en)
        else:
            self.fail(zh_bad, en_bad)
        return condition


def _hex(value: object) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def file_digests(path: str) -> tuple[str, str, int]:
    """(SM3 hex, SHA-256 hex, size) of a file, read in 1 MiB chunks."""
    sm3, sha256, size = new_hash("sm3"), hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            sm3.update(chunk)  # type: ignore[attr-defined]
            sha256.update(chunk)
            size += len(chunk)
    return sm3.hexdigest(), sha256.hexdigest(), size  # type: ignore[attr-defined]


def _safe_path(folder: str, name: object) -> str | None:
    """A bundle member's path, refusing absolute paths and ``..`` (the manifest is not trusted yet)."""
    if not isinstance(name, str) or not name or name.startswith(("/", "\\")) or ".." in name.split("/"):
        return None
    return os.path.join(folder, *name.split("/"))


def check_signed_head(
    report: Report, manifest: dict, public_key: bytes | None
) -> tuple[int, bytes, str] | None:
    """The signed tree head; returns (tree size, root, algorithm) when it holds."""
    report.section("签名树头", "Signed tree head")
    head = manifest.get("signed_head")
    if not isinstance(head, dict):
        report.fail("清单中没有签名树头", "manifest.json has no signed_head")
        return None
    message = head.get("signed_message")
    signature = _hex(head.get("signature"))
    if head.get("signature_algorithm") != "ed25519":
        report.fail(
            "签名算法不是 Ed25519：{!r}".format(head.get("signature_algorithm")),
            "signature algorithm is not ed25519: {!r}".format(head.get("signature_algorithm")),
        )
        return None
    if not isinstance(message, str) or signature is None or public_key is None:
        report.fail("签名树头缺少签名内容、签名或公钥", "signed head lacks its message, signature or key")
        return None
    if not report.check(
        ed25519_verify(public_key, message.encode("utf-8"), signature),
        "Ed25519 签名有效",
        "Ed25519 signature verifies",
        "签名树头的签名无效（签名或签名内容被改动）",
        "the signed head's signature does not verify (signature or message altered)",
    ):
        return None
    try:
        signed = json.loads(message)
    except ValueError:
        report.fail("签名内容不是 JSON", "the signed message is not JSON")
        return None
    expected_keys = {"hash_algorithm", "log", "root", "signed_at", "tree_size"}
    root = _hex(signed.get("root")) if isinstance(signed, dict) else None
    if (
        not isinstance(signed, dict)
        or set(signed) != expected_keys
        or signed.get("log") != LOG_ID
        or root is None
    ):
        report.fail(
            f"签名内容格式不符（不是 {LOG_ID} 的树头）", f"the signed message is not a {LOG_ID} tree head"
        )
        return None
    size, algorithm = signed["tree_size"], signed["hash_algorithm"]
    consistent = (
        isinstance(size, int)
        and size == manifest.get("tree_size") == head.get("tree_size")
        and signed["root"] == head.get("root")
        and algorithm == manifest.get("hash_algorithm") == head.get("hash_algorithm")
        and algorithm in ("sm3", "sha256")
    )
    if not report.check(
        consistent,
        f"已签名的树大小 {size}、根哈希、算法 {algorithm} 与清单一致",
        f"signed size {size}, root and algorithm {algorithm} match the manifest",
        "清单中的树大小、根哈希或算法与已签名的内容不符",
        "the manifest's tree size, root or algorithm differ from what was signed",
    ):
        return None
    report.info("签名时间 {}，根哈希 {}".format(signed["signed_at"], signed["root"]), "signed at, root")
    return size, root, algorithm


def check_statement(report: Report, manifest: dict, public_key: bytes | None, root: bytes) -> dict | None:
    """The platform's signed statement of what the bundle holds; returns it when it holds."""
    report.section("导出声明", "Export statement")
    statement = manifest.get("statement")
    signature = _hex(manifest.get("statement_signature"))
    if not isinstance(statement, str) or signature is None or public_key is None:
        report.fail("清单中没有签名的导出声明", "manifest.json has no signed export statement")
        return None
    data = statement.encode("utf-8")
    if not report.check(
        data.startswith(STATEMENT_PREFIX) and ed25519_verify(public_key, data, signature),
        "导出声明签名有效",
        "export statement signature verifies",
        "导出声明的签名无效（声明或签名被改动）",
        "the export statement's signature does not verify (statement or signature altered)",
    ):
        return None
    try:
        body = json.loads(data[len(STATEMENT_PREFIX) :].decode("utf-8"))
    except ValueError:
        report.fail("导出声明不是 JSON", "the export statement is not JSON")
        return None
    if not isinstance(body, dict):
        report.fail("导出声明格式不符", "the export statement has the wrong shape")
        return None
    listed = [
        {k: e.get(k) for k in ("id", "sha256", "sm3", "size_bytes")} for e in manifest.get("evidence", [])
    ]
    same = (
        body.get("object") == {k: manifest.get("object", {}).get(k) for k in ("type", "id")}
        and body.get("tree_size") == manifest.get("tree_size")
        and body.get("root") == root.hex()
        and body.get("entries") == manifest.get("entries")
        and body.get("evidence") == listed
        and body.get("exported_at") == manifest.get("exported_at")
        and body.get("foreign_evidence", []) == manifest.get("foreign_evidence", [])
    )
    report.check(
        same,
        "对象、记录清单、证据清单与签名声明一致",
        "object, entry list and evidence list match the signed statement",
        "清单（对象、记录或证据列表）与签名的导出声明不符",
        "manifest.json (object, entries or evidence) differs from the signed export statement",
    )
    return body


def check_entries(
    report: Report,
    folder: str,
    manifest: dict,
    size: int,
    root: bytes,
    algorithm: str,
    statement: dict | None,
) -> dict[str, dict]:
    """Every entry line; returns the ``evidence.store`` changes by evidence id (for the file checks)."""
    report.section("账本记录", "Ledger entries")
    obj = manifest.get("object", {})
    evidence_ids = {str(e.get("id")) for e in manifest.get("evidence", [])}
    stored: dict[str, dict] = {}
    seen: list[int] = []
    path = os.path.join(folder, "entries.jsonl")
    if not os.path.isfile(path):
        report.fail("缺少 entries.jsonl", "entries.jsonl is missing")
        return stored
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where_zh, where_en = f"entries.jsonl 第 {number} 行", f"entries.jsonl line {number}"
            try:
                item = json.loads(line)
                seq = item["seq"]
                leaf_text = item["leaf_data"]
                leaf = json.loads(leaf_text)
                changes_text = item["changes"]
                proof = [bytes.fromhex(p) for p in item["proof"]]
                stated_leaf_hash = bytes.fromhex(item["leaf_hash"])
            except (ValueError, KeyError, TypeError):
                report.fail(f"{where_zh} 无法解析", f"{where_en} cannot be parsed")
                continue
            zh, en = f"第 {seq} 号记录", f"entry seq {seq}"
            seen.append(seq)
            problems_before = len(report.problems)
            if not isinstance(leaf, dict) or leaf.get("seq") != seq:
                report.fail(f"{zh}：叶子数据中的序号不符", f"{en}: the leaf data names another seq")
                continue
            if leaf.get("hash_algorithm") != algorithm:
                report.fail(f"{zh}：哈希算法不符", f"{en}: hash algorithm differs")
            if hash_bytes(changes_text.encode("utf-8"), algorithm).hex() != leaf.get("changes_digest"):
                report.fail(
                    f"{zh}：变更内容与叶子数据中的摘要不符（变更内容被改动）",
                    f"{en}: the changes do not match the digest in the leaf data (changes altered)",
                )
            computed = leaf_hash(leaf_text.encode("utf-8"), algorithm)
            if computed != stated_leaf_hash:
                report.fail(
                    f"{zh}：叶子哈希与叶子数据不符（叶子数据被改动）",
                    f"{en}: leaf hash does not match the leaf data (leaf data altered)",
                )
            if item.get("tree_size") != size or not verify_inclusion(
                computed, seq, size, proof, root, algorithm
            ):
                report.fail(
                    f"{zh}：包含证明不能导出已签名的根哈希（记录不在已签名的账本中或被改动）",
                    f"{en}: the inclusion proof does not lead to the signed root (entry not in the signed log,"
                    " or altered)",
                )
            target = leaf.get("object") or {}
            is_object = target == {"type": obj.get("type"), "id": obj.get("id")}
            is_evidence = target.get("type") == "evidence.evidence" and target.get("id") in evidence_ids
            if not (is_object or is_evidence):
                report.fail(
                    "{}：不属于本对象或其证据（{}:{}）".format(zh, target.get("type"), target.get("id")),
                    f"{en}: belongs to neither this object nor its evidence",
                )
            if is_evidence and leaf.get("action") == "evidence.store":
                try:
                    stored[target["id"]] = json.loads(changes_text)
                except ValueError:
                    report.fail(f"{zh}：证据存证内容无法解析", f"{en}: evidence record cannot be parsed")
            if len(report.problems) == problems_before:
                report.ok(
                    "{} {} {}（{}）".format(
                        zh, leaf.get("at"), leaf.get("action"), leaf.get("actor", {}).get("username")
                    ),
                    f"{en} verifies",
                )
    listed = manifest.get("entries")
    if not isinstance(listed, list):
        report.fail("清单中没有记录列表", "manifest.json lists no entries")
        return stored
    missing = sorted(set(listed) - set(seen))
    extra = sorted(set(seen) - set(listed))
    duplicated = sorted({s for s in seen if seen.count(s) > 1})
    report.check(
        not missing and not extra and not duplicated,
        f"entries.jsonl 含清单所列全部 {len(listed)} 条记录",
        f"entries.jsonl holds exactly the {len(listed)} entries the manifest lists",
        f"记录不完整：缺少 {missing}，多出 {extra}，重复 {duplicated}",
        f"entries do not match the manifest: missing {missing}, extra {extra}, duplicated {duplicated}",
    )
    return stored


def check_evidence(report: Report, folder: str, manifest: dict, stored: dict[str, dict]) -> None:
    report.section("证据文件", "Evidence files")
    report.info(
        "SM3 实现：%s" % ("纯 Python（较慢）" if USE_PURE_SM3 else "OpenSSL"),
        "SM3 implementation: %s" % ("pure Python (slow)" if USE_PURE_SM3 else "OpenSSL"),
    )
    items = manifest.get("evidence", [])
    if not items:
        report.info("本对象没有证据文件", "this object has no evidence files")
    for item in items:
        eid = str(item.get("id"))
        name = item.get("file")
        zh, en = f"证据 #{eid} {name}", f"evidence #{eid} {name}"
        path = _safe_path(folder, name)
        if path is None or not os.path.isfile(path):
            report.fail(f"{zh}：文件缺失", f"{en}: file is missing")
            continue
        sm3, sha256, size = file_digests(path)
        actual = {"sm3": sm3, "sha256": sha256, "size_bytes": size}
        if any(actual[k] != item.get(k) for k in actual):
            report.fail(
                f"{zh}：文件内容被改动（SM3 {sm3}，SHA-256 {sha256}，{size} 字节，与清单不符）",
                f"{en}: file altered (digests or size differ from the manifest)",
            )
            continue
        record = stored.get(eid)
        if record is None:
            report.fail(f"{zh}：账本中没有该证据的存证记录", f"{en}: no evidence.store ledger entry for it")
            continue
        obj = manifest.get("object", {})
        if any(record.get(k) != actual[k] for k in actual) or (
            record.get("object_type"),
            record.get("object_id"),
        ) != (
            obj.get("type"),
            obj.get("id"),
        ):
            report.fail(
                f"{zh}：与账本存证记录的摘要或所属对象不符",
                f"{en}: differs from the digests or object recorded in the ledger",
            )
            continue
        report.ok(
            f"{zh}：SM3、SHA-256、大小与账本存证记录一致",
            f"{en}: SM3, SHA-256 and size match the ledger record",
        )


def check_documents(report: Report, folder: str, statement: dict | None) -> None:
    documents = (statement or {}).get("documents") or []
    if not documents:
        return
    report.section("文书", "Documents")
    for doc in documents:
        name = doc.get("name")
        path = _safe_path(folder, name)
        if path is None or not os.path.isfile(path):
            report.fail(f"文书 {name} 缺失", f"document {name} is missing")
            continue
        sm3, sha256, size = file_digests(path)
        report.check(
            (sm3, sha256, size) == (doc.get("sm3"), doc.get("sha256"), doc.get("size_bytes")),
            f"文书 {name} 与导出声明一致",
            f"document {name} matches the statement",
            f"文书 {name} 被改动",
            f"document {name} altered",
        )


def verify_bundle(folder: str, pinned_key: bytes | None = None, out: object = None) -> int:
    """Check the bundle in ``folder``; print the report; return the exit status (0 only if all holds)."""
    report = Report(out)
    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, ValueError) as exc:
        report._print(f"无法读取 manifest.json / cannot read manifest.json: {exc}")
        return 2
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        report._print(f"不是 {BUNDLE_FORMAT} 格式的证据包 / not a {BUNDLE_FORMAT} bundle")
        return 2
    obj = manifest.get("object", {})
    report._print("zhifa 案件证据包校验 / zhifa case bundle verification")
    report._print("对象 / object: {}:{} {}".format(obj.get("type"), obj.get("id"), obj.get("label", "")))
    report._print("导出时间 / exported at: {}".format(manifest.get("exported_at")))

    report.section("平台公钥", "Platform public key")
    public_key: bytes | None
    try:
        public_key = public_key_from_pem(manifest.get("public_key_pem", ""))
    except ValueError as exc:
        public_key = None
        report.fail(f"清单中的公钥无法读取：{exc}", f"the manifest's public key cannot be read: {exc}")
    if public_key is not None:
        fingerprint = hashlib.sha256(public_key).hexdigest()
        report.info(f"公钥指纹（SHA-256）：{fingerprint}", "public key fingerprint (SHA-256)")
        if pinned_key is not None:
            report.check(
                public_key == pinned_key,
                "与指定的平台公钥一致",
                "matches the pinned platform key",
                "与指定的平台公钥不一致（证据包可能被整体伪造）",
                "differs from the pinned platform key (the bundle may be forged as a whole)",
            )
        else:
            report.info(
                "请将上述指纹与平台公布的公钥指纹核对（或用 --fingerprint 指定）",
                "compare it with the platform's published fingerprint (or pass --fingerprint)",
            )

    head = check_signed_head(report, manifest, public_key)
    if head is None:
        size, root, algorithm = -1, b"", str(manifest.get("hash_algorithm", "sm3"))
        if algorithm not in ("sm3", "sha256"):
            algorithm = "sm3"
    else:
        size, root, algorithm = head
    statement = check_statement(report, manifest, public_key, root)
    stored = check_entries(report, folder, manifest, size, root, algorithm, statement)
    check_evidence(report, folder, manifest, stored)
    check_documents(report, folder, statement)

    report._print("")
    if report.problems:
        report._print(
            f"校验未通过：{len(report.problems)} 个问题 / VERIFICATION FAILED: {len(report.problems)} problem(s)"
        )
        for line in report.problems:
            report._print("  - " + line)
        return 1
    report._print(f"校验通过：{report.passed} 项检查全部成立 / VERIFIED: all {report.passed} checks hold")
    return 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]  # TextIO lacks it; suppressed above
    parser = argparse.ArgumentParser(description="校验 zhifa 案件证据包 / verify a zhifa case bundle")
    parser.add_argument("folder", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--fingerprint", help="平台公布的公钥 SHA-256 指纹 / the published key fingerprint")
    parser.add_argument("--public-key", help="平台公布的公钥 PEM 文件 / the published public key PEM file")
    args = parser.parse_args(argv)
    pinned = None
    if args.public_key:
        with open(args.public_key, encoding="utf-8") as fh:
            pinned = public_key_from_pem(fh.read())
    code = verify_bundle(args.folder, pinned)
    if args.fingerprint and code != 2:
        manifest_key = None
        try:
            with open(os.path.join(args.folder, "manifest.json"), encoding="utf-8") as fh:
                manifest_key = public_key_from_pem(json.load(fh).get("public_key_pem", ""))
        except (OSError, ValueError):
            pass
        wanted = args.fingerprint.strip().lower().replace(":", "")
        if manifest_key is None or hashlib.sha256(manifest_key).hexdigest() != wanted:
            print("公钥指纹与指定值不符 / FAILED: the public key fingerprint differs from --fingerprint")
            return 1
        print("公钥指纹与指定值一致 / the public key fingerprint matches --fingerprint")
    return code


if __name__ == "__main__":
    sys.exit(main())
