"""The stand-alone verifier shipped in every case bundle (案件证据包校验程序).

``standalone.py`` is copied into the bundle as ``verify.py``: Python standard library only, so that a court
or reviewer can run ``python3 verify.py`` on any computer. It is also importable here, so the test suite
checks its SM3 and Ed25519 against hashlib and ``cryptography``.
"""

from __future__ import annotations

from pathlib import Path

STANDALONE = Path(__file__).with_name("standalone.py")


def script_bytes() -> bytes:
    """The verifier script exactly as it goes into a bundle."""
    return STANDALONE.read_bytes()
