"""Load with faults: enterprises submit questionnaires while complaint-centre staff log cases,
on gunicorn (4 workers); optionally the server is killed with SIGKILL, or PostgreSQL restarted,
in the middle of the run.  Every submission that got the success page, and every case whose
creation was confirmed, must be in the database exactly once.

    python bench/fault_load.py --db sqlite --enterprises 200 --staff 8
    python bench/fault_load.py --db sqlite --fault kill
    python bench/fault_load.py --db postgresql --fault pg-restart

A client that loses its connection or gets the 503 retry page waits and tries again, as a person
would reload the page.  Prints a JSON summary; exits 1 if anything was lost or duplicated.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.survey_load import CSRF, SECTIONS, STAFF_PASSWORD, database, free_port, p95  # noqa: E402

RETRIES = 60
INTAKE_KEY = re.compile(r'name="intake_key" type="hidden" value="([0-9a-f]+)"')
SERVER_ERRORS: list[str] = []  # any 5xx other than the 503 retry page is a bug


class Flaky(Exception):
    """The server is down or answered 503: retry shortly."""


class Browser:
    def __init__(self, port: int):
        self.port, self.cookies, self.latencies = port, {}, []
        self.connection = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        from urllib.parse import urlencode

        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection = self.connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.connection = None
            raise Flaky(str(exc)) from None
        self.latencies.append(time.perf_counter() - started)
        for cookie in response.msg.get_all("Set-Cookie") or []:  # a cookie jar, as a browser keeps
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        if response.status == 503:
            raise Flaky("503")
        if response.status >= 500:
            SERVER_ERRORS.append(f"{method} {path}: {response.status}")
            raise Flaky(str(response.status))
        return response.status, text, response.getheader("Location") or ""


def patiently(step):
    for _ in range(RETRIES):
        try:
            return step()
        except Flaky:
            time.sleep(0.5)
    raise RuntimeError("server did not come back")


def questionnaire(browser: Browser, token: str) -> bool:
    """Fill and submit one questionnaire; True once the success page has been seen."""
    def attempt() -> bool:
        status, page, _ = browser.request("GET", f"/s/{token}/1")
        if "问卷已提交" in page:
            return True
        csrf = CSRF.search(page).group(1)
        for number, answers in enumerate(SECTIONS, start=1):
            status, _, _ = browser.request("POST", f"/s/{token}/{number}", answers | {"csrf_token": csrf})
            if status != 302:
                raise Flaky(f"section {number}: HTTP {status}")
        status, page, _ = browser.request("GET", f"/s/{token}/review")
        status, page, _ = browser.request("POST", f"/s/{token}/submit", {"csrf_token": CSRF.search(page).group(1)})
        if status == 302:
            status, page, _ = browser.request("GET", f"/s/{token}")
        return "问卷已提交" in page
    return patiently(attempt)


def staff(browser: Browser, name: str, stop: threading.Event) -> list[str]:
    """Log in as the centre and log cases until the enterprises are done; returns confirmed summaries."""

    def log_in():
        status, page, _ = browser.request("GET", "/login")
        if status == 302:  # already logged in
            return
        status, _, _ = browser.request("POST", "/login", {"csrf_token": CSRF.search(page).group(1),
                                                          "username": "bench-centre", "password": STAFF_PASSWORD})
        if status != 302:
            raise Flaky(f"login {status}")
    patiently(log_in)
    confirmed, n = [], 0
    while not stop.is_set():
        n += 1
        summary = f"{name}-案件-{n}"

        def show_form() -> str:
            status, page, location = browser.request("GET", "/complaints/new")
            if status == 302 and "/login" in location:
                log_in()
                raise Flaky("session")
            if status != 200:
                raise Flaky(f"intake page {status}")
            return page

        page = patiently(show_form)
        form = {"csrf_token": CSRF.search(page).group(1), "intake_key": INTAKE_KEY.search(page).group(1),
                "complainant": "压测投诉企业", "channel": "letter", "received_on": time.strftime("%Y-%m-%d"),
                "county": re.search(r'<option value="(\d+)"', page).group(1), "category": "other", "summary": summary}

        def send(form: dict = form) -> bool:  # resent as it is after a lost connection, as a browser would
            status, page, location = browser.request("POST", "/complaints/new", form)
            return (status == 201 and "案件编号" in page) or (status == 302 and "/complaints/" in location)
        if patiently(send):
            confirmed.append(summary)
    return confirmed


def start_server(port: int, env: dict, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--chdir", str(Path(__file__).parent), "bench_app:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "ab"),
        start_new_session=True)
    import socket
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--staff", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--fault", choices=["none", "kill", "pg-restart"], default="none")
    args = parser.parse_args()

    env, cluster = database(args.db, durable=True)  # a committed case must survive the crash
    bench_app = str(Path(__file__).with_name("bench_app.py"))
    tokens = json.loads(subprocess.run([sys.executable, bench_app, "setup", str(args.enterprises)], env=env,
                                       check=True, capture_output=True, text=True).stdout)
    port = free_port()
    server = start_server(port, env, args.workers)
    stop, done = threading.Event(), []
    browsers = [Browser(port) for _ in range(args.enterprises + args.staff)]
    faults = []

    def inject():
        while len(done) < args.enterprises * 0.3:
            time.sleep(0.05)
        nonlocal server
        if args.fault == "kill":
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            faults.append(f"SIGKILL to gunicorn after {len(done)} submissions")
            server = start_server(port, env, args.workers)
        elif args.fault == "pg-restart":
            cluster.pause()
            faults.append(f"PostgreSQL stopped after {len(done)} submissions")
            time.sleep(2)
            cluster.resume()

    def enterprise(index: int) -> tuple[str, bool]:
        ok = questionnaire(browsers[index], tokens[index])
        done.append(index)
        return tokens[index], ok

    started = time.perf_counter()
    try:
        with cf.ThreadPoolExecutor(args.enterprises + args.staff + 1) as pool:
            fault = pool.submit(inject) if args.fault != "none" else None
            clerks = [pool.submit(staff, browsers[args.enterprises + k], f"staff{k}", stop) for k in range(args.staff)]
            results = list(pool.map(enterprise, range(args.enterprises)))
            stop.set()
            cases = [summary for clerk in clerks for summary in clerk.result()]
            if fault:
                fault.result()
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    counts = json.loads(subprocess.run([sys.executable, bench_app, "count"], env=env, check=True,
                                       capture_output=True, text=True).stdout)
    if cluster:
        cluster.stop()
    succeeded = {token for token, ok in results if ok}
    latencies = [x for b in browsers for x in b.latencies]
    summaries = counts["complaint_summaries"]
    result = {
        "db": args.db, "fault": args.fault, "faults": faults, "enterprises": args.enterprises, "staff": args.staff,
        "workers": args.workers, "seconds": round(elapsed, 1), "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1), "p95_ms": round(p95(latencies) * 1000, 1),
        "success_pages": len(succeeded), "responses_in_db": counts["responses"],
        "lost_responses": len(succeeded - set(counts["used_tokens"])),
        "duplicated_responses": counts["responses"] - counts["used"],
        "cases_confirmed": len(cases), "cases_in_db": len(summaries),
        "lost_cases": len(set(cases) - set(summaries)), "duplicated_cases": len(summaries) - len(set(summaries)),
        "server_errors": SERVER_ERRORS,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    lost = result["lost_responses"] + result["duplicated_responses"] + result["lost_cases"] + result["duplicated_cases"]
    sys.exit(1 if lost or SERVER_ERRORS or len(succeeded) < args.enterprises else 0)


if __name__ == "__main__":
    main()
