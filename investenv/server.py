"""Running the app under gunicorn from the ``investenv serve`` command."""
from __future__ import annotations

import gc
import os
import subprocess
import sys

from gunicorn.app.base import BaseApplication

from .app import create_app


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = create_app()
        # Everything loaded so far (the app, its modules, numpy and scipy) lives as long as the worker:
        # moved out of the cyclic collector's generations, a full collection walks only what requests
        # create, instead of pausing a request now and then for a walk over the whole process.
        gc.collect()
        gc.freeze()
        return app


def run(host: str, port: int, workers: int, timeout: int, trusted_proxies: int | None = None,
        job_threads: int = 1) -> None:
    """Serve the app with gunicorn; with ``job_threads`` a worker process for the job queue runs
    beside it and stops with it."""
    if trusted_proxies is not None:  # read by create_app in every gunicorn worker
        os.environ["INVESTENV_TRUSTED_PROXIES"] = str(trusted_proxies)
    jobs = (subprocess.Popen([sys.executable, "-m", "investenv", "worker", "--threads", str(job_threads)])
            if job_threads else None)
    try:
        _Server(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "timeout": timeout,
                "accesslog": "-",
                "errorlog": "-",
            }
        ).run()
    finally:
        if jobs is not None:
            jobs.terminate()
            jobs.wait(timeout=60)
