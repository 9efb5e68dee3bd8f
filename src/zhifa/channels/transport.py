"""Sending one signed POST to an endpoint, with the standard library's ``http.client`` (no new HTTP client).

Guards against server-side request forgery (docs/security.md):

- only ``http`` and ``https`` URLs, no user name or password in them;
- the host is resolved once and every address it resolves to is checked; the connection then goes to the
  checked address (a DNS answer changed between check and connect cannot redirect it), with TLS still verified
  against the host name;
- link-local (169.254.0.0/16, the cloud metadata service; fe80::/10), multicast, unspecified and reserved
  addresses are always refused; private (10/8, 172.16/12, 192.168/16, fc00::/7), shared (100.64/10) and
  loopback addresses only with ``ZHIFA_WEBHOOK_ALLOW_PRIVATE=true`` — a county's website on the government
  intranet is such an address;
- redirects are not followed (a 3xx is a failed attempt), the answer is read at most 4 KB, and connect and
  read time out after ``ZHIFA_WEBHOOK_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from zhifa.core.errors import InvalidInput

USER_AGENT = "zhifa-webhooks/1"
MAX_ANSWER_BYTES = 4096


@dataclass(frozen=True)
class Outcome:
    status_code: int | None  # the HTTP status, None when no answer came
    error: str  # Chinese, empty when accepted
    duration_ms: int

    @property
    def accepted(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def check_url(url: str) -> str:
    """The URL if an endpoint may have it (scheme and form only; addresses are checked at each send)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[" and other malformed hosts
        raise InvalidInput("推送地址格式无效。", "The URL is malformed.", field="url") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(
            "推送地址须以 http:// 或 https:// 开头。", "The URL must be http or https.", field="url"
        )
    if not parts.hostname:
        raise InvalidInput("推送地址缺少主机名。", "The URL has no host.", field="url")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidInput("推送地址中不能有空格或控制字符。", "The URL has spaces.", field="url")
    if parts.username or parts.password:
        raise InvalidInput(
            "推送地址中不能包含用户名或密码。", "The URL may not carry credentials.", field="url"
        )
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number or out of range
    except ValueError:
        raise InvalidInput("推送地址的端口无效。", "The URL's port is invalid.", field="url") from None
    if len(url) > 500:
        raise InvalidInput("推送地址过长（最多 500 个字符）。", "The URL is too long.", field="url")
    return url


def address_refusal(address: str) -> str:
    """Why the platform will not connect to this IP address ("" when it may)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"不允许推送到保留或链路本地地址（{ip}）。"
    internal = ip.is_loopback or ip.is_private or ip in ipaddress.ip_network("100.64.0.0/10")
    if internal and not settings.WEBHOOK_ALLOW_PRIVATE:
        return f"推送地址解析为内网地址（{ip}），未开启 ZHIFA_WEBHOOK_ALLOW_PRIVATE，已拒绝。"
    return ""


def _resolve(host: str, port: int) -> str:
    """One checked address of the host (every address it resolves to must pass)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ConnectionError(f"无法解析主机名 {host}。") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        refusal = address_refusal(address)
        if refusal:
            raise PermissionError(refusal)
    if not addresses:
        raise ConnectionError(f"无法解析主机名 {host}。")
    return addresses[0]


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` once; never raises for a network or HTTP failure (the outcome says what went wrong)."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()

    def done(status: int | None, error: str) -> Outcome:
        return Outcome(status, error[:300], int((time.monotonic() - started) * 1000))

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = _resolve(host, port)
    except (ConnectionError, PermissionError) as exc:
        return done(None, str(exc))
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect_to_checked(_address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        return socket.create_connection((address, port), *args, **kwargs)

    connection._create_connection = connect_to_checked  # type: ignore[attr-defined]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
            },
        )
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        status = response.status
    except TimeoutError:
        return done(None, f"连接或等待响应超时（{timeout} 秒）。")
    except ssl.SSLError as exc:
        return done(None, f"TLS 握手或证书校验失败：{exc.reason or exc}")
    except ConnectionRefusedError:
        return done(None, "连接被拒绝（接收方未在该端口监听）。")
    except (OSError, http.client.HTTPException):
        return done(None, "网络错误，未能完成推送。")
    finally:
        connection.close()
    if 200 <= status < 300:
        return done(status, "")
    if 300 <= status < 400:
        return done(status, f"接收方返回 HTTP {status}（重定向不跟随，请登记最终地址）。")
    return done(status, f"接收方返回 HTTP {status}。")
