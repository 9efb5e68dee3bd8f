"""The README's first command, end to end: a demo built by ``zhifa demo`` on SQLite in a fresh data directory,
served by ``zhifa serve --with-worker`` under gunicorn, every demo login reaching its landing page, a document
PDF served, the background worker running its jobs beside the server and stopping with it, and everything the
two commands print in Chinese.

Runs the commands as ``make demo`` does, in subprocesses, on SQLite (the SQLite leg only: the PostgreSQL leg
would repeat the same run).
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from zhifa.org.demo import DEMO_LOGINS

pytestmark = [
    pytest.mark.slow,
    # The commands run on SQLite in a fresh data directory whatever the leg (ZHIFA_DATABASE_URL is dropped), so
    # the PostgreSQL leg would only repeat the SQLite leg's run, byte for byte: ≈ 55 s of CI for nothing.
    pytest.mark.skipif(
        bool(os.environ.get("ZHIFA_DATABASE_URL")),
        reason="the demo server runs on SQLite in any leg; the SQLite leg runs it",
    ),
]

ZHIFA = [sys.executable, "-m", "zhifa"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"ZHIFA_DATABASE_URL", "ZHIFA_TODAY"}}
    env["ZHIFA_DATA_DIR"] = str(data_dir)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = _env(data_dir)
    subprocess.run([*ZHIFA, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=600)
    built = subprocess.run(
        [*ZHIFA, "demo", "--scale", "0.05"], env=env, capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stderr
    port = _free_port()
    log = data_dir / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*ZHIFA, "serve", "--port", str(port), "--with-worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # gunicorn's workers load the app on their first request
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/accounts/login/", timeout=60)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
        else:
            pytest.fail(f"zhifa serve did not answer: {log.read_text()}")
        yield base, data_dir, built.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
    served = log.read_text()
    assert f"请在浏览器打开 {base}/" in served and "后台任务进程已随之启动" in served
    _assert_chinese(served)


def _assert_chinese(output: str) -> None:
    """Nothing English a county reads: only addresses, user names, passwords and key names are Latin."""
    words = {username for _, username, _ in DEMO_LOGINS} | {password for _, _, password in DEMO_LOGINS}
    text = re.sub(r"https?://\S+", "", output)
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    english = set(re.findall(r"[A-Za-z]{3,}", text)) - {"Ctrl", "zhifa"}  # the key and the product
    assert not english, f"English in the demo's output: {sorted(english)}\n{output}"


def _log_in(base: str, username: str, password: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=60,
    )
    return session, response


def test_the_demo_build_prints_chinese_and_leaves_nothing_out(demo_server: tuple[str, Path, str]) -> None:
    _, _, printed = demo_server
    assert "未能生成" not in printed and "跳过" not in printed
    _assert_chinese(printed)


@pytest.mark.parametrize(("label", "username", "password"), DEMO_LOGINS, ids=[u for _, u, _ in DEMO_LOGINS])
def test_every_demo_login_reaches_its_landing_page_under_gunicorn(
    demo_server: tuple[str, Path, str], label: str, username: str, password: str
) -> None:
    base, _, _ = demo_server
    _, response = _log_in(base, username, password)
    assert response.status_code == 200
    assert response.url == f"{base}/workbench/"
    assert "工作台" in response.text and "演示数据，纯属虚构" in response.text


def test_the_officer_opens_a_document_pdf_rendered_with_the_cjk_font(
    demo_server: tuple[str, Path, str],
) -> None:
    base, data_dir, _ = demo_server
    with sqlite3.connect(data_dir / "zhifa.sqlite3") as db:
        (pk,) = db.execute(
            "SELECT d.id FROM cases_casedocument d JOIN cases_case c ON d.case_id = c.id"
            " JOIN org_agency a ON c.agency_id = a.id WHERE a.name = '示范县市场监督管理局' ORDER BY d.id"
        ).fetchone()
    session, _ = _log_in(base, "demo_officer", dict((u, p) for _, u, p in DEMO_LOGINS)["demo_officer"])
    response = session.get(f"{base}/cases/documents/{pk}/pdf/", timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"NotoSerifCJK" in response.content


def test_the_worker_started_with_the_demo_runs_the_periodic_jobs(demo_server: tuple[str, Path, str]) -> None:
    _, data_dir, _ = demo_server
    deadline = time.monotonic() + 180  # the worker runs every job once at start, the sweeps first
    finished: list[tuple[str, int]] = []
    while time.monotonic() < deadline and not finished:
        with sqlite3.connect(data_dir / "zhifa.sqlite3") as db:
            finished = db.execute(
                "SELECT name, last_ok FROM core_joblease WHERE last_finished_at IS NOT NULL"
            ).fetchall()
        if not finished:
            time.sleep(0.5)
    assert finished, (data_dir / "worker.log").read_text()
    assert all(ok for _, ok in finished), (finished, (data_dir / "worker.log").read_text())
