"""``zhifa ledger verify [--witness STORE] | prove ENTRY [--size N] | consistency OLD NEW | sign | status |
witness --from URL_OR_FILE [--store PATH] | heads [--out FILE] [--since N]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.core.errors import DomainError
from zhifa.records import hooks, selectors, services, signing, witness
from zhifa.records.canonical import iso_utc
from zhifa.records.models import SignedTreeHead
from zhifa.records.verifications import verification_record
from zhifa.records.verify import DEFAULT_CHUNK, Failure, verify_ledger


def _head_json(head: SignedTreeHead | None) -> dict[str, Any] | None:
    if head is None:
        return None
    public_key = bytes(head.public_key)
    return {
        "id": head.id,
        "tree_size": head.tree_size,
        "root": bytes(head.root).hex(),
        "signed_at": iso_utc(head.signed_at),
        "hash_algorithm": head.hash_algorithm,
        "signature_algorithm": head.signature_algorithm,
        "signature": bytes(head.signature).hex(),
        "signed_message": signing.tree_head_message(
            head.tree_size, bytes(head.root), head.signed_at, head.hash_algorithm
        ).decode(),
        "public_key_pem": signing.public_key_pem(public_key),
        "public_key_sha256": signing.key_fingerprint(public_key),
    }


class Command(BaseCommand):
    help = "执法全过程记录账本：校验、证明、签名、状态 / The full-process record ledger: verify, prove, sign, status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify", help="重算并校验全部记录、节点、签名树头和证据文件 / verify everything"
        )
        verify.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK)
        verify.add_argument(
            "--witness",
            action="append",
            default=[],
            metavar="FILE_OR_URL",
            help="见证文件（zhifa ledger witness 的存储），可多次 / a witness store to check against (repeatable)",
        )
        wit = sub.add_parser(
            "witness", help="见证另一实例的签名树头 / fetch, check and store another instance's signed heads"
        )
        wit.add_argument(
            "--from", dest="source", required=True, metavar="URL_OR_FILE", help="https://主机 或 heads 文件"
        )
        wit.add_argument(
            "--store", default=None, help="见证存储（JSON 文件），默认 $ZHIFA_DATA_DIR/witness/<来源>.json"
        )
        wit.add_argument(
            "--keep", type=int, default=witness.DEFAULT_KEEP, help="保留的签名树头数 / heads kept"
        )
        heads = sub.add_parser(
            "heads", help="导出签名树头与一致性证明（JSON）/ export signed heads for a witness"
        )
        heads.add_argument("--out", default=None, help="输出文件（默认标准输出）/ output file")
        heads.add_argument("--since", type=int, default=None, help="见证者已有的树大小 / the witness's size")
        heads.add_argument("--limit", type=int, default=1000)
        prove = sub.add_parser("prove", help="某条记录的包含证明（JSON）/ inclusion proof of one entry")
        prove.add_argument("entry", type=int, help="记录序号 / entry seq")
        prove.add_argument("--size", type=int, default=None, help="树大小（默认：最近签名树头）/ tree size")
        consistency = sub.add_parser("consistency", help="一致性证明（JSON）/ consistency proof")
        consistency.add_argument("old", type=int)
        consistency.add_argument("new", type=int)
        sub.add_parser("sign", help="签名当前树头 / sign the current tree head")
        sub.add_parser("status", help="账本状态（JSON）/ ledger status")
        export = sub.add_parser(
            "export-case", help="导出案件证据包（zip）/ export a case bundle for offline checks"
        )
        export.add_argument("case", help="app_label.model:ID（如 cases.case:12）、案件编号或案件 ID")
        export.add_argument("--out", default=None, help="输出文件 / output zip file")
        export.add_argument(
            "--user", default=None, help="调阅人用户名（记录本次导出）/ record the export as by"
        )
        export.add_argument("--reason", default="", help="调阅事由 / reason for the export")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['subcommand'].replace('-', '_')}")(options)
        except DomainError as exc:
            raise CommandError(f"{exc.message} / {exc.message_en}") from exc

    def _print(self, value: Any) -> None:
        self.stdout.write(json.dumps(value, ensure_ascii=False, indent=2))

    def _verify(self, options: dict[str, Any]) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size 必须为正数 / --chunk-size must be positive")
        witnessed: list[tuple[int, bytes]] = []
        extra: list[Failure] = []
        for location in options["witness"]:
            try:
                held = witness.witnessed_heads(location)
            except witness.WitnessError as exc:
                raise CommandError(str(exc)) from exc
            witnessed += held.heads
            if held.invalid:
                extra.append(
                    Failure(
                        "witness",
                        location,
                        f"见证文件中有签名无效的签名树头：{', '.join(held.invalid[:3])}",
                        f"witness store holds heads whose signature does not verify: {', '.join(held.invalid[:3])}",
                    )
                )
            if held.key_raw not in signing.trusted_public_keys():
                extra.append(
                    Failure(
                        "witness",
                        location,
                        "见证时固定的公钥不是本平台的签名密钥（也不在 keys/trusted/ 中）：密钥被替换。",
                        "the key pinned by the witness is neither the signing key nor trusted: the key was"
                        " replaced.",
                    )
                )
        result = verify_ledger(chunk_size=options["chunk_size"], witnessed=witnessed)
        result.failures[:0] = extra  # a replaced key or a forged store first: it explains the rest
        verification_record(result)
        evidence = result.evidence_checked
        summary = (
            f"记录 {result.entries_checked} 条，节点 {result.nodes_checked} 个，签名树头 {result.signed_heads_checked} 个"
            + (
                ""
                if evidence is None
                else "，证据文件已校验"
                if evidence < 0
                else f"，证据文件 {evidence} 个"
            )
            + ("" if result.witnessed_checked is None else f"，见证的签名树头 {result.witnessed_checked} 个")
            + f"，耗时 {result.duration_s:.2f} 秒 / {result.entries_checked} entries, {result.nodes_checked} nodes,"
            f" {result.signed_heads_checked} signed heads"
            + ("" if evidence is None else ", evidence files checked")
            + ("" if result.witnessed_checked is None else f", {result.witnessed_checked} witnessed heads")
            + f", {result.duration_s:.2f} s"
        )
        first = result.first_failure
        if first is None:
            self.stdout.write(f"账本校验通过：{summary} / Ledger verifies.")
            return
        for failure in result.failures[1:20]:
            self.stderr.write(f"  {failure.text()}")
        more = len(result.failures) - 1
        raise CommandError(
            f"账本校验失败 / Ledger verification FAILED. 首个问题 / first problem: {first.text()}"
            f" ({first.ref}; 另有 {more} 个 / {more} more) — {summary}"
        )

    def _prove(self, options: dict[str, Any]) -> None:
        seq, size = options["entry"], options["size"]
        if size is None:
            latest = selectors.latest_signed_head()
            size = latest.tree_size if latest is not None and seq < latest.tree_size else None
        proof = selectors.ledger_inclusion_proof(seq, size)
        head = selectors.latest_signed_head(proof.tree_size) or selectors.latest_signed_head()
        self._print(
            {
                "seq": proof.seq,
                "leaf_data": proof.leaf_data.decode(),
                "leaf_hash": proof.leaf_hash.hex(),
                "tree_size": proof.tree_size,
                "root": proof.root.hex(),
                "proof": [p.hex() for p in proof.proof],
                "algorithm": proof.algorithm,
                "signed_head": _head_json(head),
            }
        )

    def _consistency(self, options: dict[str, Any]) -> None:
        proof = selectors.ledger_consistency_proof(options["old"], options["new"])
        self._print(
            {
                "old_size": proof.old_size,
                "new_size": proof.new_size,
                "old_root": proof.old_root.hex(),
                "new_root": proof.new_root.hex(),
                "proof": [p.hex() for p in proof.proof],
                "algorithm": proof.algorithm,
                "old_signed_head": _head_json(selectors.latest_signed_head(proof.old_size)),
                "new_signed_head": _head_json(selectors.latest_signed_head(proof.new_size)),
            }
        )

    def _sign(self, options: dict[str, Any]) -> None:
        self._print(_head_json(services.ledger_sign()))

    def _status(self, options: dict[str, Any]) -> None:
        key = signing.load_signing_key()
        size = selectors.ledger_size()
        self._print(
            {
                "size": size,
                "pending": selectors.ledger_pending_count(),
                "hash_algorithm": selectors.ledger_algorithm(),
                "root": selectors.ledger_root(size).hex(),
                "latest_signed_head": _head_json(selectors.latest_signed_head()),
                "signing_key_file": str(key.path),
                "public_key_pem": key.public_key_pem,
                "public_key_sha256": signing.key_fingerprint(key.public_key_raw),
            }
        )

    def _witness(self, options: dict[str, Any]) -> None:
        source_value = options["source"]
        if options["store"]:
            store = Path(options["store"])
        else:
            slug = "".join(c if c.isalnum() else "_" for c in source_value)[-80:]
            store = Path(settings.DATA_DIR) / "witness" / f"{slug}.json"
        if options["keep"] < 1:
            raise CommandError("--keep 必须为正数 / --keep must be positive")
        try:
            report = witness.witness(witness.source_for(source_value), store, keep=options["keep"])
        except witness.WitnessError as exc:
            raise CommandError(f"见证失败 / Witness FAILED: {exc}") from exc
        largest = report.largest
        self.stdout.write(
            f"见证通过：新签名树头 {report.new_heads} 个，已见证的最大树 {largest['tree_size'] if largest else 0}"
            f" 条，来源现有 {report.source_size} 条；存储 {store} / Witnessed: {report.new_heads} new heads,"
            f" largest {largest['tree_size'] if largest else 0}, source size {report.source_size}."
        )

    def _heads(self, options: dict[str, Any]) -> None:
        data = witness.export_heads(since=options["since"], limit=max(1, options["limit"]))
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def _export_case(self, options: dict[str, Any]) -> None:
        export_command = hooks.case_export()  # the evidence app's bundle export (it sits above records)
        if export_command is None:
            raise CommandError(
                "证据包导出需要证据应用（zhifa.evidence）。/ The bundle export needs zhifa.evidence."
            )
        self.stdout.write(export_command(options["case"], options["out"], options["user"], options["reason"]))
