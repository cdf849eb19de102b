"""Load benchmark: enterprises submit complete questionnaires through the real pages.

Runs ``investenv serve`` (gunicorn) on a fresh database, then 50 concurrent clients each work
through questionnaires exactly as a browser does (GET the page, read the CSRF token, POST each
of the six sections, GET the review page, POST the submission).  In the same run the same
clients hammer a bare endpoint that inserts one row, as the baseline.  Reports throughput and
p95 latency per request, and checks that every submission is in the database exactly once.

    python bench/survey_load.py --db sqlite
    python bench/survey_load.py --db postgresql      # starts a throwaway cluster
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAFF_PASSWORD = "bench-centre-password"  # the complaint-centre account bench_app.py creates
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SECTIONS = [
    {"q1": "A", "q2": "B", "q3": "A", "q4": "B", "q5": "B", "q6": "B", "q7": "A", "q8": "B"},
    {"q9": "B", "q10": "A", "q11": "B", "q12": "A", "q13": "A", "q14": "C"},
    {"q15": "B", "q16": "B", "q17": "A", "q18": "B", "q19": "B", "q20": "C", "q21": "B", "q22": "B"},
    {"q23": "A", "q24": "B", "q25": "C"},
    {"q26": "A", "q27": "B", "q28": "A"},
    {"q29": "A", "q30": "A", "q31": "B", "q32": "用地指标落实慢", "origin_province": "广东省"},
]


def database(kind: str, durable: bool = False) -> tuple[dict, object]:
    """A fresh database of ``kind`` (SQLite file, or a throwaway PostgreSQL cluster) and the
    environment that points investenv at it; returns (environment, cluster or None)."""
    workdir = Path(tempfile.mkdtemp(prefix="investenv-bench-"))
    cluster = None
    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        from tests.postgres import Cluster, wait_until_ready

        cluster = Cluster(durable=durable)
        url = cluster.start()
        wait_until_ready(url)
    environment = os.environ | {"INVESTENV_DATABASE_URL": url, "INVESTENV_INSTANCE_PATH": str(workdir),
                                "INVESTENV_SECRET_KEY": "bench" * 8}
    return environment, cluster


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One simulated browser: a keep-alive connection and a cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.latencies: list[float] = []

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        from urllib.parse import urlencode

        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.latencies.append(time.perf_counter() - started)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text

    def questionnaire(self, token: str) -> bool:
        status, page = self.request("GET", f"/s/{token}/1")
        csrf = CSRF.search(page).group(1)
        for number, answers in enumerate(SECTIONS, start=1):
            status, _ = self.request("POST", f"/s/{token}/{number}", answers | {"csrf_token": csrf})
            if status != 302:
                raise RuntimeError(f"section {number}: HTTP {status}")
        status, page = self.request("GET", f"/s/{token}/review")
        status, _ = self.request("POST", f"/s/{token}/submit", {"csrf_token": CSRF.search(page).group(1)})
        return status == 302

    def bare(self) -> bool:
        status, _ = self.request("POST", "/bench/bare", {"value": "x"})
        return status == 200


def run_clients(port: int, clients: int, work) -> tuple[float, list[float], list]:
    started = time.perf_counter()
    pool = [Client(port) for _ in range(clients)]
    with cf.ThreadPoolExecutor(clients) as executor:
        results = list(executor.map(work, pool, range(clients)))
    elapsed = time.perf_counter() - started
    return elapsed, [x for c in pool for x in c.latencies], results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=6, help="questionnaires per client")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    env, cluster = database(args.db)
    total = args.clients * args.per_client
    tokens = json.loads(subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_app.py")), "setup", str(total)],
        env=env, check=True, capture_output=True, text=True).stdout)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--chdir", str(Path(__file__).parent), "bench_app:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)

        def survey_work(client: Client, index: int) -> int:
            mine = tokens[index * args.per_client:(index + 1) * args.per_client]
            return sum(client.questionnaire(token) for token in mine)

        requests_per_questionnaire = len(SECTIONS) + 3
        bare_per_client = args.per_client * requests_per_questionnaire

        def bare_work(client: Client, index: int) -> int:
            return sum(client.bare() for _ in range(bare_per_client))

        bare_elapsed, bare_lat, _ = run_clients(port, args.clients, bare_work)
        survey_elapsed, survey_lat, submitted = run_clients(port, args.clients, survey_work)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    counts = json.loads(subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_app.py")), "count"],
        env=env, check=True, capture_output=True, text=True).stdout)
    if cluster:
        cluster.stop()
    bare_rps = len(bare_lat) / bare_elapsed
    survey_rps = len(survey_lat) / survey_elapsed
    result = {
        "db": args.db, "clients": args.clients, "workers": args.workers,
        "questionnaires": total, "successful_submits": sum(submitted),
        "responses_in_db": counts["responses"], "used_invitations": counts["used"],
        "lost": total - counts["responses"], "duplicated": max(0, counts["responses"] - counts["used"]),
        "survey_requests": len(survey_lat), "survey_rps": round(survey_rps, 1),
        "survey_p95_ms": round(p95(survey_lat) * 1000, 1), "survey_median_ms": round(statistics.median(survey_lat) * 1000, 1),
        "bare_requests": len(bare_lat), "bare_rps": round(bare_rps, 1),
        "bare_p95_ms": round(p95(bare_lat) * 1000, 1), "ratio": round(survey_rps / bare_rps, 2),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
