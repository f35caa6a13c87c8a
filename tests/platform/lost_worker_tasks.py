"""A task for tests/platform/test_lost_worker.py, loaded by the test's workers (--include): it
marks when and where it started, works for a while, and marks where it finished."""

import os
import time
from pathlib import Path

from config.celery import app


@app.task(name="tests.platform.slow_mark")
def slow_mark(folder: str, seconds: float) -> None:
    Path(folder, f"started-{os.getpid()}-{time.monotonic_ns()}").touch()
    time.sleep(seconds)
    Path(folder, f"done-{os.getpid()}-{time.monotonic_ns()}").touch()
