"""Playwright on Debian's Chromium against the app served on 127.0.0.1 in a thread."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from ..conftest import unavailable

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = os.environ.get("INVESTENV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        unavailable("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}


def _whole_bodies(app):
    """``app`` with each response body read and closed before the server writes it.  Werkzeug's
    development server leaves the body unclosed when the browser drops the connection mid-write
    (its clean-up reads the dropped socket first and raises): a static file's handle was then
    reported by the garbage collector in whatever test ran next."""
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


@pytest.fixture
def live_server(app):
    """The test's app served over real HTTP; yields its base URL."""
    server = make_server("127.0.0.1", 0, _whole_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def browser_login(live_server):
    from ..conftest import PASSWORD

    def do_login(page, user):
        page.goto(f"{live_server}/login")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()

    return do_login
