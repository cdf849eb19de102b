"""Two app instances (separate gunicorn processes) behind one PostgreSQL: a session started on one
works on the other, a questionnaire begun on one is finished on the other, and the wrong-token
throttle counts across both — nothing depends on one process's memory."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from bench.survey_load import SECTIONS, STAFF_PASSWORD

from ..conftest import _empty_business_tables

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BENCH = Path(__file__).resolve().parents[2] / "bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_instances(postgres_database, tmp_path):
    env = os.environ | {"INVESTENV_DATABASE_URL": postgres_database, "INVESTENV_INSTANCE_PATH": str(tmp_path),
                        "INVESTENV_SECRET_KEY": "scale-out" * 6}
    tokens = json.loads(subprocess.run([sys.executable, str(BENCH / "bench_app.py"), "setup", "2"], env=env,
                                       check=True, capture_output=True, text=True).stdout)
    servers, urls = [], []
    for _ in range(2):
        port = _free_port()
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "--chdir", str(BENCH),
             "bench_app:app"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
    yield urls, tokens
    for server in servers:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    engine = sa.create_engine(postgres_database)
    with engine.begin() as connection:  # bench_app's baseline table is not part of the schema
        connection.execute(sa.text("DROP TABLE IF EXISTS bench_rows"))
    engine.dispose()
    _empty_business_tables(postgres_database)


def _answer(page, answers: dict) -> None:
    for name, value in answers.items():
        choice = page.locator(f'input[name="{name}"][value="{value}"]')
        if choice.count():
            choice.check()
        else:
            page.locator(f'[name="{name}"]').fill(value)


def _at(url: str) -> re.Pattern:
    """The page at ``url``, after a save (``?saved=N``: it lists what page N left unanswered) or not."""
    return re.compile(re.escape(url) + r"(\?saved=[0-9]+)?$")


def test_sessions_drafts_and_throttles_span_both_instances(page, browser, two_instances):
    (a, b), tokens = two_instances

    page.goto(f"{a}/login")
    page.get_by_label("用户名").fill("bench-centre")
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{b}/complaints/new")  # the other instance knows the session
    expect(page.get_by_role("heading", level=1)).to_contain_text("登记")

    page.context.close()
    page = browser.new_page()  # the enterprise, in its own browser: a staff session may not use its link
    token = tokens[0]
    page.goto(f"{a}/s/{token}/1")
    _answer(page, SECTIONS[0])
    page.get_by_role("button", name="保存，下一部分").click()
    expect(page).to_have_url(_at(f"{a}/s/{token}/2"))
    page.goto(f"{b}/s/{token}")  # resumed on the other instance from the saved draft
    expect(page).to_have_url(_at(f"{b}/s/{token}/2"))
    for number in range(2, 7):
        _answer(page, SECTIONS[number - 1])
        page.get_by_role("button", name="保存，下一部分" if number < 6 else "保存，检查答卷").click()
        # the next page must be there before its fields are looked up (count() does not wait)
        expect(page).to_have_url(_at(f"{b}/s/{token}/{number + 1}" if number < 6 else f"{b}/s/{token}/review"))
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("问卷已提交")
    page.goto(f"{a}/s/{token}/1")
    expect(page.get_by_role("heading", level=1)).to_have_text("问卷已提交")

    statuses = [page.request.get(f"{(a, b)[n % 2]}/s/wrong-token-{n}").status for n in range(32)]
    assert statuses[:30] == [404] * 30 and statuses[30:] == [429, 429]  # 30 misses in all, then both refuse
