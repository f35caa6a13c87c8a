"""Two hosts, each in a network namespace of its own (made by the test, joined to this host by a
veth pair, so every connection really crosses an interface), each with a gunicorn web server, a
Celery worker and a media folder of its own, on one PostgreSQL, one Redis and a real S3 server:
letters are sent once, an export built by a worker downloads through either web server, an
access package too, and the privacy officer confirms an erasure through the desk's form on a web
server, whose hand-overs (the webshop connector's run, the finish, the confirmation letter) run on
the workers; then one worker and one web server are killed mid-way — a second erasure confirmed
between the two kills — and the other host carries on: nothing lost, nothing sent twice, every
download works, both persons erased here and in the webshop, each confirmation mailed once.
Nothing is looked for on a local disk.

The shared services listen on 127.0.0.1 of this host; the test relays them onto the host's end of
each veth pair (a namespace has a loopback of its own). Run as root where `ip netns` is allowed
(CI); else the test says why it is skipped."""

import base64
import contextlib
import email
import hashlib
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from celery import Celery, current_app
from django.conf import settings
from django.db import connection
from django.test import Client

from audit_exports.models import ExportJob, JobStatus
from config.storage import storages_from_url
from connectors import webshop
from connectors.models import Connector, Kind, RunStatus
from connectors.selectors import erasure_status
from consents.models import DataSubject
from consents.services import subject_get_or_create
from privacy_register.models import System
from requests_desk.models import EventKind, LetterKind, OutboxMessage, OutboxStatus
from subject_rights.models import AccessPackage
from subject_rights.tokens import package_token
from tests.audit_exports.conftest import HISTORY
from tests.connectors.conftest import text_columns_containing
from tests.factories import DataSubjectFactory, open_request
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
    except urllib.error.HTTPError as refused:  # its body says why (a form's or CSRF's refusal)
        return refused.code, refused.read(), ""
    except (urllib.error.URLError, TimeoutError):  # not listening, or not answering (yet)
        return 0, b"", ""


def other_sessions() -> int:
    """The database's sessions other than this process's own (the nodes' ones)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


NAMESPACE = "po-i23-{}"


def netns_refusal() -> str:
    """Why network namespaces cannot be made here ("" when they can): a tiny probe."""
    probe = NAMESPACE.format(f"probe-{os.getpid()}")
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"`ip netns add` is not permitted here: {made.stderr.strip() or made.returncode}"
    subprocess.run(["ip", "netns", "del", probe], check=False)
    return ""


class Relay:
    """Accept on (host, port) and pipe every connection to 127.0.0.1:target: how a process in a
    namespace reaches PostgreSQL, Redis and the S3 server, which listen on this host's loopback."""

    def __init__(self, host: str, target: int):
        self.target = target
        self.server = socket.create_server((host, 0))
        self.port = self.server.getsockname()[1]
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:  # closed
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(1 << 16):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self):
        self.server.close()
        for end in self.open:
            # Shut before closing: a pipe's thread blocked in recv() on the other end keeps that
            # socket alive past close(), and PostgreSQL would keep the session for good.
            with contextlib.suppress(OSError):  # its pipe shut it already
                end.shutdown(socket.SHUT_RDWR)
            end.close()


def host_up(number: int) -> tuple[str, str, str]:
    """A namespace joined to this host by a veth pair: (namespace, host's address, its own)."""
    name, outside, inside = NAMESPACE.format(number), f"10.231.{number}.1", f"10.231.{number}.2"
    host_end, ns_end = f"po23h{number}", f"po23n{number}"
    subprocess.run(["ip", "netns", "del", name], capture_output=True)  # left by a killed run
    for command in (
        f"ip netns add {name}",
        f"ip link add {host_end} type veth peer name {ns_end}",
        f"ip link set {ns_end} netns {name}",
        f"ip addr add {outside}/24 dev {host_end}",
        f"ip link set {host_end} up",
        f"ip netns exec {name} ip addr add {inside}/24 dev {ns_end}",
        f"ip netns exec {name} ip link set {ns_end} up",
        f"ip netns exec {name} ip link set lo up",
    ):
        subprocess.run(command.split(), check=True, capture_output=True)
    return name, outside, inside


@pytest.fixture
def nodes(tmp_path, s3_server, settings):
    if refusal := netns_refusal():
        pytest.skip(refusal)
    bucket = s3_server.new_bucket()
    db = connection.settings_dict
    broker = urlsplit(settings.CELERY_BROKER_URL)
    s3 = urlsplit(s3_server.endpoint)
    queue = f"test-nodes-{uuid.uuid4().hex}"
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    settings.FILE_ENCRYPTION_KEYS = [key]
    settings.STORAGES = storages_from_url(
        s3_server.storage_url(bucket, prefix="office"),
        static_backend=settings.STORAGES["staticfiles"]["BACKEND"],
    )
    processes, hosts, relays = {}, [], []
    sender = Celery(broker=settings.CELERY_BROKER_URL, set_as_current=False)
    # Letters this process queues on commit go to the nodes' queue, as a web server's would.
    default_queue = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = queue
    try:
        webs = []
        for number, name in ((1, "a"), (2, "b")):
            namespace, outside, inside = host_up(number)
            hosts.append(namespace)
            relay = {
                target: Relay(outside, target)
                for target in (int(db["PORT"] or 5432), broker.port or 6379, s3.port)
            }
            relays += relay.values()
            node = {
                **os.environ,
                "DATABASE_URL": f"postgres://{db['USER']}@{outside}:"
                f"{relay[int(db['PORT'] or 5432)].port}/{db['NAME']}",
                "CELERY_BROKER_URL": f"redis://{outside}:{relay[broker.port or 6379].port}"
                f"{broker.path}",
                "REDBEAT_REDIS_URL": "",
                "CELERY_TASK_DEFAULT_QUEUE": queue,
                "CACHE_URL": "locmemcache://",
                "STORAGE_URL": s3_server.storage_url(bucket, prefix="office").replace(
                    s3_server.endpoint, f"http://{outside}:{relay[s3.port].port}"
                ),
                "FILE_ENCRYPTION_KEYS": key,
                # four slashes: django-environ drops the first of an absolute path
                "EMAIL_URL": f"filemail:///{tmp_path / f'mail-{name}'}",
                "DEBUG": "true",
                "ALLOWED_HOSTS": "*",
                "MEDIA_ROOT": str(tmp_path / f"media-{name}"),
            }
            port = 8000
            commands = {
                f"web-{name}": [
                    "gunicorn",
                    "config.wsgi",
                    "--workers",
                    "2",
                    "--bind",
                    f"{inside}:{port}",
                ],
                f"worker-{name}": [
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
                processes[label] = subprocess.Popen(
                    ["ip", "netns", "exec", namespace, sys.executable, "-m", *command],
                    cwd=ROOT,
                    env=node,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            webs.append(f"http://{inside}:{port}")
        for web in webs:
            until(lambda web=web: fetch(web + "/accounts/login/")[0] == 200, 90, f"{web} to start")
        yield {
            "webs": webs,
            "send": lambda task, *args: sender.send_task(task, args=list(args), queue=queue),
            "kill": lambda label: os.killpg(processes[label].pid, signal.SIGKILL),
            "folder": tmp_path,
        }
    finally:  # also when a node fails to start: no process, namespace or relay outlives the test
        current_app.conf.task_default_queue = default_queue
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        for relay in relays:
            relay.close()
        # A node's database sessions end once PostgreSQL sees its relayed socket shut; dropping
        # the test database while one is still there fails the teardown.
        with contextlib.suppress(AssertionError):
            until(lambda: not other_sessions(), 15, "the nodes' database sessions to end")
        for namespace in hosts:
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        with sender.connection_for_write() as channel:
            channel.default_channel.queue_delete(queue)


class RoundRobin:
    """The day's client: each request to the next web server that answers, as a load balancer
    that drops a dead server would."""

    def __init__(self, webs: list[str], cookie: str = ""):
        self.turn = itertools.cycle(webs)
        self.cookie = cookie
        self.served: list[str] = []

    def get(
        self, path: str, *, data: bytes | None = None, cookie: str = ""
    ) -> tuple[int, bytes, str]:
        for _ in range(2):
            web = next(self.turn)
            status, body, set_cookie = fetch(web + path, cookie=cookie or self.cookie, data=data)
            if status:  # 0: the server is gone; the next one takes it
                self.served.append(web)
                return status, body, set_cookie
        return 0, b"", ""


# Two customers of the webshop (surnames its random customers never have), each with a subject
# here and an erasure request of their own.
SHOPPERS = [
    webshop.Person("fenna.brouwer@ouders.example", "Fenna", "Brouwer", "0612345001"),
    webshop.Person("teun.oudshoorn@ouders.example", "Teun", "Oudshoorn", "0612345002"),
]


@pytest.fixture
def shop(tmp_path, register, monkeypatch):
    """The register's webshop, a SQLite file both hosts reach (a namespace shares the file
    system), with its SQL connector: an erasure waits for the connector's run on a worker.
    Asked for before `nodes`: the nodes' environment (WEBSHOP_TEST_URL) is read when they start."""
    url = f"sqlite:///{tmp_path / 'webshop.sqlite3'}"
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    webshop.create(engine)
    webshop.fill(engine, people=SHOPPERS, others=40)
    monkeypatch.setenv("WEBSHOP_TEST_URL", url)
    Connector.objects.create(
        system=System.objects.get(slug="webshop"),
        kind=Kind.SQL,
        secret_env="WEBSHOP_TEST_URL",
        mapping=webshop.MAPPING,
        mapping_version=1,
    )
    yield engine
    engine.dispose()


def erasure_request(shopper: webshop.Person):
    """The shopper in our tables too (a subject), and her erasure request, identity checked and
    every system's task of its checklist answered."""
    name = f"{shopper.first_name} {shopper.last_name}"
    subject_get_or_create(email=shopper.email, name=name)
    return verified(
        "erasure", requester_email=shopper.email, requester_name=name, requester_phone=""
    )


def erase_through(client: RoundRobin, request) -> None:
    """The privacy officer's confirm step on the desk, as a browser takes it: the page (its CSRF
    token and cookie) from one web server, the ticked box posted to the next, which redirects to
    the request's page. A refused form shows the confirm step again; its body says why."""
    path = f"/desk/{request.reference}/rechten/wissen/"
    status, page, set_cookie = client.get(path)
    assert status == 200 and b'name="confirm"' in page, page.decode(errors="replace")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "confirm": "on"}).encode()
    status, page, _ = client.get(path, cookie=f"{client.cookie}; csrftoken={csrf}", data=form)
    assert status == 200 and b'name="confirm"' not in page, page.decode(errors="replace")


def erased(request) -> bool:
    """Erased everywhere and its confirmation sent: the worker's finish has run, and a worker
    mailed the letter."""
    return (
        request.events.filter(kind=EventKind.ERASED).exists()
        and OutboxMessage.objects.filter(
            request=request, letter_kind=LetterKind.ERASURE, status=OutboxStatus.SENT
        ).exists()
    )


def mailed(folder: Path, message_id: str) -> list[str]:
    """The recipients of every mail with this Message-ID in both hosts' mail folders (Django's
    file backend writes a file per connection, its messages separated by a line of dashes)."""
    recipients = []
    for path in folder.glob("mail-*/*"):
        for text in path.read_text().split("\n" + "-" * 79 + "\n"):
            message = email.message_from_string(text)
            if message["Message-ID"] == message_id:
                recipients.append(message["To"])
    return recipients


def sent_mail(folder: Path) -> tuple[list[str], list[str]]:
    """The Message-IDs and recipients of every mail both nodes sent (Django's file backend)."""
    ids, recipients = [], []
    for path in folder.glob("mail-*/*"):
        text = path.read_text()
        ids += re.findall(r"^Message-ID: (.+)$", text, flags=re.M)
        recipients += re.findall(r"^To: (.+)$", text, flags=re.M)
    return ids, recipients


def package_download(client: RoundRobin, package) -> tuple[int, bytes]:
    link = f"/privacy/inzage/{package_token(package)}/"
    status, page, set_cookie = client.get(link)
    if status != 200:
        return status, b""
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
    status, body, _ = client.get(
        link, cookie=f"csrftoken={csrf}", data=f"csrfmiddlewaretoken={token}".encode()
    )
    return status, body


def session(user) -> str:
    staff = Client()
    staff.force_login(user)
    return f"sessionid={staff.cookies['sessionid'].value}"


def test_a_day_on_two_hosts_survives_a_lost_worker_and_a_lost_web_server(
    shop, nodes, auditor, privacy_officer
):
    webs, send, folder = nodes["webs"], nodes["send"], nodes["folder"]
    client = RoundRobin(webs, cookie=session(auditor))
    officer = RoundRobin(webs, cookie=session(privacy_officer))

    # Morning: requests filed; each acknowledgement letter is sent by a worker on commit, and
    # sweeps on both workers at once send none twice.
    filed = [open_request(requester_email=f"p{n}@school.example") for n in range(8)]
    send("requests_desk.tasks.outbox_sweep")
    send("requests_desk.tasks.outbox_sweep")
    letters = OutboxMessage.objects.filter(request__in=filed)
    until(lambda: not letters.exclude(status=OutboxStatus.SENT).exists(), 90, "the letters")

    # A large export, built by whichever worker takes it, downloads through both web servers.
    DataSubjectFactory.create_batch(300)
    job = ExportJob.objects.create(created_by=auditor, tables=[HISTORY], format="csv")
    send("audit_exports.tasks.export_run", job.pk)
    until(lambda: ExportJob.objects.get(pk=job.pk).status == JobStatus.DONE, 90, "the export")
    job.refresh_from_db()
    for _ in webs:
        status, body, _ = client.get(f"/admin/audit_exports/exportjob/{job.pk}/download/")
        assert status == 200 and hashlib.sha256(body).hexdigest() == job.sha256
    assert set(client.served) == set(webs)

    # An access package; its download works through either server.
    request = verified("access")
    send("subject_rights.tasks.build_access_package", request.pk)
    package = until(lambda: AccessPackage.objects.filter(request=request).first(), 90, "a package")
    status, body = package_download(client, package)
    assert status == 200 and hashlib.sha256(body).hexdigest() == package.sha256

    # An erasure, confirmed by the privacy officer on the desk through the web servers: the
    # webshop's run and the finish are handed to whichever worker takes them, and a worker
    # sends the confirmation.
    first = erasure_request(SHOPPERS[0])
    assert "customers" in text_columns_containing(shop, [SHOPPERS[0].email])
    erase_through(officer, first)
    until(lambda: erased(first), 90, "the first erasure")

    # Mid-way, host a loses its worker and its web server; the afternoon's work is done by b.
    # Between the two, a second erasure is confirmed (perhaps on a's web server, which dies
    # next): its hand-overs are left to b's worker.
    nodes["kill"]("worker-a")
    second_erasure = erasure_request(SHOPPERS[1])
    erase_through(officer, second_erasure)
    nodes["kill"]("web-a")
    later = [open_request(requester_email=f"q{n}@school.example") for n in range(4)]
    second = ExportJob.objects.create(created_by=auditor, tables=[HISTORY], format="csv")
    send("audit_exports.tasks.export_run", second.pk)
    send("requests_desk.tasks.outbox_sweep")
    until(lambda: ExportJob.objects.get(pk=second.pk).status == JobStatus.DONE, 90, "export 2")
    second.refresh_from_db()
    afternoon = OutboxMessage.objects.filter(request__in=filed + later)
    until(lambda: not afternoon.exclude(status=OutboxStatus.SENT).exists(), 90, "the letters")
    for exported in (job, second):
        status, body, _ = client.get(f"/admin/audit_exports/exportjob/{exported.pk}/download/")
        assert status == 200 and hashlib.sha256(body).hexdigest() == exported.sha256
    status, body = package_download(client, package)
    assert status == 200 and hashlib.sha256(body).hexdigest() == package.sha256
    until(lambda: erased(second_erasure), 90, "the second erasure")

    # Both persons erased, the first one's erasure through the kills too: in our tables once,
    # in the webshop nothing of them but the invoice kept for the tax authority, and each
    # confirmation mailed once, to the address read before the erasure.
    assert DataSubject.objects.filter(erased_at__isnull=False).count() == len(SHOPPERS)
    for shopper, erasure in zip(SHOPPERS, (first, second_erasure), strict=True):
        assert not DataSubject.objects.filter(email=shopper.email).exists()
        erasure.refresh_from_db()
        assert erasure.requester_email != shopper.email
        assert erasure.events.filter(kind=EventKind.ERASED).count() == 1
        (run,) = erasure_status(erasure)  # the webshop's run, by a worker, once
        assert run.status == RunStatus.DONE and run.attempts == 1 and not run.error
        left = text_columns_containing(shop, [shopper.email, shopper.phone, shopper.last_name])
        assert set(left) == {"invoices"} and len(left["invoices"]) == 1
        assert left["invoices"][0]["customer_id"] is None
        (letter,) = OutboxMessage.objects.filter(request=erasure, letter_kind=LetterKind.ERASURE)
        assert mailed(folder, letter.message_id) == [shopper.email]

    # Nothing sent twice, nothing lost: one mail per letter (the package's letters included),
    # over both hosts' mail folders, and each person's acknowledgement exactly once.
    assert afternoon.count() == len(filed) + len(later)
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    ids, recipients = sent_mail(folder)
    assert len(ids) == len(set(ids)) == OutboxMessage.objects.count()
    for desk_request in filed + later:
        assert recipients.count(desk_request.requester_email) == 1
    # Nothing went to a host's own disk: every file is in the object store.
    assert not [path for path in folder.glob("media-*/**/*") if path.is_file()]
