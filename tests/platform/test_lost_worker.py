"""A worker lost mid-task (SIGKILL, as when its machine dies): another worker finishes the task,
once. On RabbitMQ the broker redelivers at once (acks_late, reject_on_worker_lost); on Redis the
task waits for the visibility timeout (CELERY_VISIBILITY_TIMEOUT, 4 hours as configured; 5 s
here) before another worker restores it."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from celery import Celery
from django.conf import settings
from kombu import Connection

ROOT = Path(__file__).resolve().parents[2]
RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError:
        return False
    return True


def brokers():
    yield pytest.param(
        RABBITMQ_URL,
        id="rabbitmq",
        marks=pytest.mark.skipif(not reachable(RABBITMQ_URL), reason="no RabbitMQ at RABBITMQ_URL"),
    )
    redis = settings.CELERY_BROKER_URL
    yield pytest.param(
        redis,
        id="redis",
        marks=pytest.mark.skipif(
            not redis.startswith("redis://"),
            reason="the broker is not Redis: run with CELERY_BROKER_URL=redis://… (CI does)",
        ),
    )


def wait_for(folder: Path, prefix: str, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = sorted(path.name for path in folder.glob(prefix + "-*"))
        if found:
            return found
        time.sleep(0.2)
    return []


@pytest.mark.parametrize("broker", list(brokers()))
def test_a_task_of_a_killed_worker_is_finished_by_another_once(broker, tmp_path):
    queue = f"test-lost-{uuid.uuid4().hex}"
    marks = tmp_path / "marks"
    marks.mkdir()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "CELERY_UNACKED_RESTORE_SECONDS": "1",
    }
    workers = []
    for name in ("a", "b"):
        log = (tmp_path / f"{name}.log").open("w")
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--include=tests.platform.lost_worker_tasks",
                    f"--hostname={name}@%h",
                    f"--queues={queue}",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    sender = Celery(set_as_current=False)
    # A connection of its own: Celery would otherwise take CELERY_BROKER_URL from the environment.
    connection = Connection(broker, transport_options={"visibility_timeout": 5})
    try:
        sender.send_task(
            "tests.platform.slow_mark", args=[str(marks), 6], queue=queue, connection=connection
        )
        started = wait_for(marks, "started", 120)
        assert len(started) == 1, (tmp_path / "a.log").read_text()[-3000:]
        [started] = started
        child = int(started.split("-")[1])
        lost = next(w for w in workers if os.getpgid(child) == w.pid)
        os.killpg(lost.pid, signal.SIGKILL)  # the worker and its pool: nothing is acknowledged
        lost.wait(timeout=10)
        killed_at = time.monotonic()
        done = wait_for(marks, "done", 90)
        took = time.monotonic() - killed_at
        assert len(done) == 1, (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
        finisher = int(done[0].split("-")[1])
        survivor = next(w for w in workers if w is not lost)
        assert os.getpgid(finisher) == survivor.pid  # the other worker finished it
        # RabbitMQ redelivers when the connection drops: the task runs again at once (6 s of
        # work); Redis waits the visibility timeout (5 s here) first.
        assert took < (20 if broker.startswith("amqp") else 40), took
        time.sleep(3)
        assert len(list(marks.glob("done-*"))) == 1  # not run a third time
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        with connection:
            connection.default_channel.queue_delete(queue)
