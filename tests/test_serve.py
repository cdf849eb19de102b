"""``investenv serve`` runs the app under real gunicorn workers."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_over_http_with_two_workers(app, database_url, tmp_path):
    port = _free_port()
    env = os.environ | {
        "INVESTENV_DATABASE_URL": database_url,
        "INVESTENV_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    investenv = Path(sys.executable).with_name("investenv")
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(investenv), "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                    body = response.read()
            except OSError:
                time.sleep(0.2)
        assert body == b'{"status":"ok"}\n', (tmp_path / "serve.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            assert "工作人员登录" in response.read().decode()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
    assert "Booting worker" in (tmp_path / "serve.log").read_text()
