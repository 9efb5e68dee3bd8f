"""What a file really is, from its first bytes (magic numbers), and which evidence kinds it may be.

The client's declared content type is not trusted: a PDF declared as a photo is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhifa.evidence.models import EvidenceKind

HEAD_BYTES = 4096

P, A, V, D = EvidenceKind.PHOTO, EvidenceKind.AUDIO, EvidenceKind.VIDEO, EvidenceKind.DOCUMENT


@dataclass(frozen=True)
class Detected:
    name: str
    mime: str
    kinds: frozenset[str]


def _d(name: str, mime: str, *kinds: str) -> Detected:
    return Detected(name, mime, frozenset(kinds))


ACCEPTED_FORMATS: dict[str, str] = {
    P: "JPEG、PNG、HEIC/HEIF、WebP、GIF",
    A: "MP3、M4A、AAC、WAV、AMR、OGG",
    V: "MP4、MOV、3GP、WebM、AVI",
    D: "PDF、DOC/DOCX、XLS/XLSX、OFD、TXT",
    EvidenceKind.OTHER: "任意格式",
}

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_OFFICE_ZIP_MARKERS = (b"[Content_Types].xml", b"word/", b"xl/", b"ppt/", b"docProps/")
_OFD_ZIP_MARKERS = (b"OFD.xml", b"Doc_0/")


def _iso_bmff(head: bytes) -> Detected | None:
    major = head[8:12]
    if major in _HEIF_BRANDS:
        return _d("heic", "image/heic", P)
    if major in _M4A_BRANDS:
        return _d("m4a", "audio/mp4", A)
    if major == b"qt  ":
        return _d("mov", "video/quicktime", V)
    if major.startswith((b"3gp", b"3g2")):
        # Phones record voice memos as 3GP too.
        return _d("3gp", "video/3gpp", V, A)
    return _d("mp4", "video/mp4", V, A)


def _text(head: bytes) -> Detected | None:
    if not head or b"\x00" in head:
        return None
    sample = head.removeprefix(b"\xef\xbb\xbf")
    for encoding in ("utf-8", "gb18030"):
        for cut in range(4):  # the head may end inside a multi-byte character
            try:
                text = sample[: len(sample) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t\f")
            if text and printable / len(text) > 0.95:
                return _d("txt", "text/plain", D)
            return None
    return None


def detect(head: bytes) -> Detected | None:
    """The format of a file from its first bytes, or None when it is none of the known ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return _d("jpeg", "image/jpeg", P)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _d("png", "image/png", P)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _d("gif", "image/gif", P)
    if head[4:8] == b"ftyp":
        return _iso_bmff(head)
    if head[4:8] in _QT_ATOMS:
        return _d("mov", "video/quicktime", V)
    if head.startswith(b"RIFF"):
        form = head[8:12]
        if form == b"WEBP":
            return _d("webp", "image/webp", P)
        if form == b"WAVE":
            return _d("wav", "audio/wav", A)
        if form == b"AVI ":
            return _d("avi", "video/x-msvideo", V)
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return _d("webm", "video/webm", V, A)
        return _d("mkv", "video/x-matroska", V)
    if head.startswith(b"OggS"):
        return _d("ogg", "audio/ogg", A, V)
    if head.startswith(b"#!AMR"):
        return _d("amr", "audio/amr", A)
    if head.startswith(b"ID3"):
        return _d("mp3", "audio/mpeg", A)
    if head.startswith(b"ADIF"):
        return _d("aac", "audio/aac", A)
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS: sync word, layer 00
            return _d("aac", "audio/aac", A)
        if head[1] & 0xE0 == 0xE0 and (head[1] >> 1) & 0x03:  # MPEG audio frame, layer I-III
            return _d("mp3", "audio/mpeg", A)
    if head.startswith(b"%PDF-"):
        return _d("pdf", "application/pdf", D)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _d("ole2", "application/msword", D)
    if head.startswith(b"PK\x03\x04"):
        if any(marker in head for marker in _OFD_ZIP_MARKERS):
            return _d("ofd", "application/ofd", D)
        if any(marker in head for marker in _OFFICE_ZIP_MARKERS):
            return _d("ooxml", "application/vnd.openxmlformats-officedocument", D)
        return _d("zip", "application/zip")
    return _text(head)


def kind_matches(kind: str, detected: Detected | None) -> bool:
    if kind == EvidenceKind.OTHER:
        return True
    return detected is not None and kind in detected.kinds
