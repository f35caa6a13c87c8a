"""Two web servers and two workers, each with a media folder of its own, on one PostgreSQL, one
Redis and a real S3 server: an export built by a worker downloads through either web server,
and so does an access package — nothing is looked for on a local disk.

This is a part of the multi-node test that issue 23 asks for: the processes run on 127.0.0.1,
not yet in network namespaces, and no process is killed here (tests/platform/test_lost_worker.py
kills a worker mid-task)."""

import base64
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.test import Client

from audit_exports.models import ExportJob, JobStatus
from config.storage import storages_from_url
from subject_rights.models import AccessPackage
from subject_rights.tokens import package_token
from tests.audit_exports.conftest import HISTORY
from tests.factories import DataSubjectFactory
from tests.subject_rights.conftest import verified

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
        or not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="several processes share one database and broker: PostgreSQL and Redis only "
        "(SQLite's test database lives in one process; CI runs this on PostgreSQL and Redis)",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def fetch(url: str, *, cookie: str = "", data: bytes | None = None) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — our nodes
            return response.status, response.read(), response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as refused:
        return refused.code, b"", ""
    except urllib.error.URLError:  # not listening (yet)
        return 0, b"", ""


@pytest.fixture
def nodes(tmp_path, s3_server, settings):
    bucket = s3_server.new_bucket()
    db = connection.settings_dict
    queue = f"test-nodes-{uuid.uuid4().hex}"
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    settings.FILE_ENCRYPTION_KEYS = [key]
    settings.STORAGES = storages_from_url(
        s3_server.storage_url(bucket, prefix="office"),
        static_backend=settings.STORAGES["staticfiles"]["BACKEND"],
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CACHE_URL": "locmemcache://",
        "STORAGE_URL": s3_server.storage_url(bucket, prefix="office"),
        "FILE_ENCRYPTION_KEYS": key,
        "DEBUG": "true",
    }
    processes, webs = [], []
    sender = Celery(broker=settings.CELERY_BROKER_URL, set_as_current=False)
    try:
        yield from _run(env, tmp_path, queue, processes, webs, sender)
    finally:  # also when a node fails to start: no process outlives the test
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with sender.connection_for_write() as broker:
            broker.default_channel.queue_delete(queue)


def _run(env, tmp_path, queue, processes, webs, sender):
    for name in ("a", "b"):
        node = {**env, "MEDIA_ROOT": str(tmp_path / f"media-{name}")}
        port = free_port()
        commands = {
            f"web-{name}": [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            f"worker-{name}": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                f"--hostname={name}@%h",
                f"--queues={queue}",
            ],
        }
        for label, command in commands.items():
            log = (tmp_path / f"{label}.log").open("w")
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=node,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        webs.append(f"http://127.0.0.1:{port}")
    for web in webs:
        until(lambda web=web: fetch(web + "/accounts/login/")[0] == 200, 60, f"{web} to start")
    yield webs, lambda name, *args: sender.send_task(name, args=list(args), queue=queue), tmp_path


def test_an_export_and_a_package_built_by_a_worker_download_through_both_web_servers(
    nodes, auditor, register
):
    webs, send, folder = nodes
    DataSubjectFactory.create_batch(30)
    job = ExportJob.objects.create(
        created_by=auditor, tables=[HISTORY], format="csv", rows_total=30
    )
    send("audit_exports.tasks.export_run", job.pk)
    until(lambda: ExportJob.objects.get(pk=job.pk).status == JobStatus.DONE, 90, "the export")
    job.refresh_from_db()
    staff = Client()
    staff.force_login(auditor)
    cookie = f"sessionid={staff.cookies['sessionid'].value}"
    for web in webs:
        status, body, _ = fetch(
            f"{web}/admin/audit_exports/exportjob/{job.pk}/download/", cookie=cookie
        )
        assert status == 200 and hashlib.sha256(body).hexdigest() == job.sha256, web

    request = verified("access")
    send("subject_rights.tasks.build_access_package", request.pk)
    package = until(lambda: AccessPackage.objects.filter(request=request).first(), 90, "a package")
    link = f"/privacy/inzage/{package_token(package)}/"
    status, page, set_cookie = fetch(webs[1] + link)
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
    status, body, _ = fetch(
        webs[1] + link, cookie=f"csrftoken={csrf}", data=f"csrfmiddlewaretoken={token}".encode()
    )
    assert status == 200 and hashlib.sha256(body).hexdigest() == package.sha256
    # Nothing went to a node's own disk: every file is in the object store.
    assert not [path for path in folder.glob("media-*/**/*") if path.is_file()]
