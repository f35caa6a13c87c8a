"""Beat on several machines (celery-redbeat, the broker on Redis): two real beat processes run at
once, only the one holding the lock in Redis schedules, and when it is killed the other takes
over within the lock timeout. Each job is sent once per interval, never twice."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT = "accounts.tasks.worker_heartbeat"

pytestmark = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="redbeat keeps its schedule in Redis: run with CELERY_BROKER_URL=redis://… (CI does)",
)


def heartbeats_sent(client, queue: str) -> list[float]:
    """The ids of the heartbeat messages that beat has put in the queue."""
    sent = []
    for raw in client.lrange(queue, 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == HEARTBEAT:
            sent.append(message["headers"]["id"])
    return sent


def wait_until(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def beats(tmp_path):
    import redis

    queue = f"test-beat-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "REDBEAT_KEY_PREFIX": f"test-redbeat-{uuid.uuid4().hex}:",
        "REDBEAT_LOCK_TIMEOUT": "3",
        "HEALTH_HEARTBEAT_SECONDS": "1",
    }
    started = []

    def start(name: str):
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "--pidfile=",
                f"--schedule={tmp_path / name}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield start, client, queue
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    client.delete(queue)
    for key in client.scan_iter(env["REDBEAT_KEY_PREFIX"] + "*"):
        client.delete(key)


def test_two_beats_schedule_once_and_the_second_takes_over_when_the_first_dies(beats):
    start, client, queue = beats
    first = start("first")
    assert wait_until(lambda: len(heartbeats_sent(client, queue)) >= 2, 40), "first beat idle"
    second = start("second")
    count_at_second_start = len(heartbeats_sent(client, queue))
    began = time.monotonic()
    time.sleep(6)  # both beats run side by side for a few intervals of the 1-second job
    side_by_side = len(heartbeats_sent(client, queue)) - count_at_second_start
    elapsed = time.monotonic() - began
    # One beat schedules: about one heartbeat a second, not two.
    assert side_by_side <= elapsed + 2, (side_by_side, elapsed)

    os.killpg(first.pid, signal.SIGKILL)  # the node with the lock is lost
    first.wait(timeout=10)
    after_kill = len(heartbeats_sent(client, queue))
    # The second beat takes the lock once it times out (3 s) and schedules from then on.
    assert wait_until(lambda: len(heartbeats_sent(client, queue)) >= after_kill + 3, 30), (
        "the second beat did not take over"
    )
    assert second.poll() is None
    ids = heartbeats_sent(client, queue)
    assert len(ids) == len(set(ids))  # no message sent twice
