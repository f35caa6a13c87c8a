"""The HTTP connector against a real HTTP server started by the test, which implements our
contract (docs/connectors.md) over a real SQLite webshop: signed calls, the answers the rights
use, retries on a 5xx, a 4xx and a bad signature refused, and a timeout."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from connectors import contract, sql
from connectors.models import Connector, ConnectorRun, Kind, Operation, RunStatus
from privacy_register.models import System
from tests.connectors.conftest import ANNA, TODAY, text_columns_containing

KEY = "test-signing-key-not-a-secret"


class Shop:
    """The system's side: the contract over its own database, through our SQL engine."""

    def __init__(self, engine, mapping):
        self.engine, self.mapping = engine, mapping
        self.calls: list[str] = []
        self.fail_next = 0  # answer this many calls with 503
        self.delay = 0.0

    def handle(self, operation: str, body: dict) -> dict:
        if operation == "subjects":  # a page of everyone, the cursor the offset reached
            everyone = list(sql.subjects(self.engine, self.mapping))
            start = int(body["after"] or 0)
            page = everyone[start : start + body["limit"]]
            reached = start + len(page)
            return {
                "subjects": [{"email": email, "name": name} for email, name in page],
                "next": str(reached) if reached < len(everyone) else None,
            }
        email = body["email"]
        if operation == "access":
            return {"tables": sql.export(self.engine, self.mapping, email)}
        if operation == "status":
            with self.engine.connect() as conn:
                found = sql.lookup(conn, self.mapping, email)
            return {
                "tables": sql.plan(self.mapping, found, TODAY),
                "erasable": sql.erasable(self.mapping, found, TODAY),
            }
        if operation == "erase":
            return sql.erase(self.engine, self.mapping, email, today=TODAY).as_report()
        if operation == "rectify":
            return {"fields": sql.rectify(self.engine, self.mapping, email, body["changes"])}
        if operation == "restrict":
            return {"records": sql.restrict(self.engine, self.mapping, email)}
        raise KeyError(operation)


@pytest.fixture
def server(sqlite_shop, mapping):
    shop = Shop(sqlite_shop, mapping)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            operation = self.path.strip("/").split("/")[-1]
            shop.calls.append(operation)
            if shop.delay:
                time.sleep(shop.delay)  # the system is slow (the server thread waits, not the test)
            if shop.fail_next:
                shop.fail_next -= 1
                return self._answer(503, {"error": "busy"})
            stamp = self.headers.get(contract.TIMESTAMP_HEADER, "")
            given = self.headers.get(contract.SIGNATURE_HEADER, "")
            if not contract.verify(KEY, stamp, body, given):
                return self._answer(401, {"error": "signature"})
            try:
                return self._answer(200, shop.handle(operation, json.loads(body)))
            except KeyError:
                return self._answer(404, {"error": "unknown operation"})

        def _answer(self, status, document):
            data = json.dumps(document, default=str).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    shop.url = f"http://127.0.0.1:{httpd.server_port}/privacy"
    yield shop
    httpd.shutdown()
    httpd.server_close()


def client(server, **kwargs):
    return contract.Client(base_url=server.url, key=KEY, backoff=0.01, **kwargs)


def test_the_signature_covers_timestamp_and_body_and_expires():
    signature = contract.signature(KEY, "1700000000", b'{"email": "a@b.nl"}')
    assert signature.startswith("sha256=") and len(signature) == 71
    assert contract.verify(KEY, "1700000000", b'{"email": "a@b.nl"}', signature, now=1700000100)
    assert not contract.verify(KEY, "1700000000", b'{"email": "x@b.nl"}', signature, now=1700000100)
    assert not contract.verify(KEY, "1700000000", b'{"email": "a@b.nl"}', signature, now=1700000400)
    assert not contract.verify(
        "other", "1700000000", b'{"email": "a@b.nl"}', signature, now=1700000000
    )


def test_access_status_and_erase_through_the_contract(server, sqlite_shop):
    shop = client(server)
    tables = shop.access(ANNA.email)["tables"]
    assert [c["email"] for c in tables["customers"]] == [ANNA.email]
    status = shop.status(ANNA.email)
    assert status["erasable"] > 0 and status["tables"]["invoices"]["keep"] == 1
    report = shop.erase(ANNA.email)
    assert report["deleted"]["customers"] == 1 and report["kept"][0]["table"] == "invoices"
    assert shop.status(ANNA.email)["erasable"] == 0
    assert set(text_columns_containing(sqlite_shop, [ANNA.last_name])) == {"invoices"}


def test_a_5xx_is_retried_and_a_bad_signature_is_refused_at_once(server):
    server.fail_next = 2
    assert client(server).access(ANNA.email)["tables"]["customers"]
    assert server.calls == ["access"] * 3
    server.calls.clear()
    with pytest.raises(contract.ContractError, match="HTTP 401"):
        contract.Client(base_url=server.url, key="wrong", backoff=0.01).access(ANNA.email)
    assert server.calls == ["access"]  # a 4xx is final


def test_a_slow_system_times_out_after_the_attempts(server):
    server.delay = 0.5
    with pytest.raises(contract.ContractError, match="no answer after 2 attempts"):
        client(server, timeout=0.1, attempts=2).status(ANNA.email)


@pytest.mark.django_db
def test_an_erasure_request_reaches_an_http_system(
    server,
    sqlite_shop,
    register,
    privacy_officer,
    monkeypatch,
    no_broker,
    django_capture_on_commit_callbacks,
):
    from subject_rights.services import erasure_carry_out
    from tests.connectors.test_rights import anna, erasure_kept

    monkeypatch.setenv("SHOP_API_KEY", KEY)
    Connector.objects.create(
        system=System.objects.get(slug="webshop"),
        kind=Kind.HTTP,
        base_url=server.url,
        secret_env="SHOP_API_KEY",
        timeout_seconds=5,
    )
    request = anna("erasure")
    with django_capture_on_commit_callbacks(execute=True):
        assert erasure_carry_out(request=request, by=privacy_officer) is None  # a task's work
    assert any("invoices" in k["what"] for k in erasure_kept(request))
    run = ConnectorRun.objects.get(request=request, operation=Operation.ERASE)
    assert run.status == RunStatus.DONE and run.report["remaining"] == 0
    assert "erase" in server.calls and server.calls[-1] == "status"
    with sqlite_shop.connect() as conn:
        assert not conn.execute(
            sa.text("SELECT COUNT(*) FROM customers WHERE email = :e"), {"e": ANNA.email}
        ).scalar()


@pytest.mark.django_db
def test_everyone_in_an_http_system_is_listed_page_by_page(server, register, monkeypatch):
    from connectors import runner

    monkeypatch.setenv("SHOP_API_KEY", KEY)
    connector = Connector.objects.create(
        system=System.objects.get(slug="webshop"),
        kind=Kind.HTTP,
        base_url=server.url,
        secret_env="SHOP_API_KEY",
        timeout_seconds=5,
    )
    people = list(runner.subjects(connector, chunk=10))
    assert len(people) == 43 and len(set(people)) == 43
    assert (ANNA.email, "Annabel Zonneveld") in people
    assert server.calls == ["subjects"] * 5  # 10 + 10 + 10 + 10 + 3
