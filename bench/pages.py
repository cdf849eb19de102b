"""What the page benchmarks on PostgreSQL share: a throwaway, migrated PostgreSQL 15 cluster with
the app on it, and the p50/p95 of timed requests (``bench/complaints_scale.py``,
``bench/projects_scale.py``)."""
from __future__ import annotations

import gc
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask

from investenv import migrate
from investenv.app import create_app
from tests.postgres import Cluster, wait_until_ready


@contextmanager
def migrated_app() -> Iterator[Flask]:
    """The app on a new PostgreSQL cluster of its own, migrated to the newest revision; the cluster
    is removed afterwards."""
    cluster = Cluster()
    url = cluster.start()
    try:
        wait_until_ready(url)
        os.environ["INVESTENV_INSTANCE_PATH"] = tempfile.mkdtemp()
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            migrate.upgrade()
        yield app
    finally:
        cluster.stop()


def latency(samples: list[float]) -> dict:
    """p50 and p95 in milliseconds of ``samples`` (seconds)."""
    return {"p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(statistics.quantiles(samples, n=100)[94] * 1000, 1)}


def timed_query(session, query, count: int) -> dict:
    """p50 and p95 of ``count`` runs of the SQL ``query`` (all rows fetched): a baseline measured in
    the same run as the pages."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        session.execute(query).all()
        samples.append(time.perf_counter() - started)
    return latency(samples)


def timed(client, url: str, count: int, before: Callable[[], None] | None = None) -> dict:
    """p50 and p95 of ``count`` requests after one to warm up; ``before()`` runs untimed before each.
    What the process holds beforehand is frozen out of the cyclic collector, as :mod:`investenv.server`
    does in each gunicorn worker once the app is loaded (here it also covers the bench's own data)."""
    gc.collect()
    gc.freeze()
    client.get(url)  # warm up
    samples = []
    for _ in range(count):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return {"url": url} | latency(samples)
