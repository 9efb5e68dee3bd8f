"""The declared kind must match what the file's first bytes say it is."""

from __future__ import annotations

import pytest

from zhifa.evidence.formats import detect, kind_matches
from zhifa.evidence.tests.conftest import JPEG, MP4_HEAD, PDF

SAMPLES = {
    "jpeg": (JPEG, "photo"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo"),
    "heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "photo"),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "photo"),
    "mp3-id3": (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio"),
    "mp3-frame": (b"\xff\xfb\x90\x64\x00", "audio"),
    "aac-adts": (b"\xff\xf1\x50\x80\x02\x1f\xfc", "audio"),
    "m4a": (b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isom", "audio"),
    "wav": (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio"),
    "amr": (b"#!AMR\n\x3c", "audio"),
    "ogg": (b"OggS\x00\x02\x00\x00", "audio"),
    "mp4": (MP4_HEAD, "video"),
    "mov": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "video"),
    "3gp": (b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00", "video"),
    "webm": (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video"),
    "avi": (b"RIFF\x24\x00\x00\x00AVI LIST", "video"),
    "pdf": (PDF, "document"),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "document"),
    "docx": (
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 12 + b"[Content_Types].xml",
        "document",
    ),
    "ofd": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"OFD.xml", "document"),
    "txt-utf8": ("现场检查笔录：当事人在场。\n".encode(), "document"),
    "txt-gbk": ("现场检查笔录：当事人在场。\n".encode("gb18030"), "document"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_known_format_matches_its_kind(name: str) -> None:
    head, kind = SAMPLES[name]
    assert kind_matches(kind, detect(head)), name


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PDF, "photo"),
        (JPEG, "video"),
        (MP4_HEAD, "photo"),
        (b"\x00\x01\x02\x03binary", "document"),
        ("只是文字".encode(), "photo"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"photos/1.jpg", "document"),
    ],
)
def test_content_that_is_not_the_declared_kind_is_refused(head: bytes, kind: str) -> None:
    assert not kind_matches(kind, detect(head))


def test_kind_other_accepts_anything_non_empty() -> None:
    assert kind_matches("other", detect(b"\x00\x01\x02"))
