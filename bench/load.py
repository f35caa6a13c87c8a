"""Load benchmark: the public pages against one and against two gunicorn instances (4 workers
each), with N concurrent clients for a fixed time, round-robin over the instances: requests/s,
p50/p95/p99 latency and errors, side by side. Everything on 127.0.0.1.

    .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--workers 4]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/load.py

Measured: the public request form (GET /privacy/verzoek/), the preference centre of one person
(GET /privacy/voorkeuren/<signed link>/) and the API's "may we contact?" (POST /api/v1/may-contact/
with a key of a client with the consents:read scope, for an address that gave consent; the
client's rate limit raised for the run, so that the figure is the server's, not the throttle's).
The clients are
threads of this process, on the same machine as the servers: on a machine with few cores they
take CPU from the servers, so the two-instance figure is a floor, not what two machines give.
"""

import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT, print_table, record, setup_django

SECRET_KEY = "bench-load-not-secret-" + "x" * 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Call:
    """One request a client repeats: a page (GET) or an API call (POST with a JSON body)."""

    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


def send(port: int, call: Call) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        # As behind the TLS proxy of production: no redirect to https.
        headers = {"X-Forwarded-Proto": "https", **dict(call.headers)}
        connection.request(call.method, call.path, body=call.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def get(port: int, path: str) -> int:
    return send(port, Call(path))


def start_instances(count: int, workers: int, env: dict, folder: Path) -> tuple[list, list[int]]:
    processes, ports = [], []
    for number in range(count):
        port = free_port()
        log = (folder / f"gunicorn-{count}-{number}.log").open("w")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--workers",
                    str(workers),
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        ports.append(port)
    deadline = time.monotonic() + 90
    for port in ports:
        while True:
            try:
                if get(port, "/privacy/verzoek/") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn on port {port} did not start (see {folder})")
            time.sleep(0.3)
    return processes, ports


def load(ports: list[int], call: Call, *, clients: int, duration: float) -> dict:
    """`clients` threads, each sending one request after the other to the next instance in
    turn, for `duration` seconds."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(offset: int):
        mine, failed, turn = [], 0, offset
        while time.monotonic() < stop_at:
            port = ports[turn % len(ports)]
            turn += 1
            started = time.perf_counter()
            try:
                ok = send(port, call) == 200
            except OSError:
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "errors": errors[0],
        "requests": len(latencies) + errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", dest="duration", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per instance")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    os.environ.update(
        {
            "MEDIA_ROOT": str(folder / "media"),
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CACHE_URL": os.environ.get("CACHE_URL", "locmemcache://"),
            "LOG_LEVEL": "WARNING",
            "CONSENT_LEDGER_KEY": "bench-ledger-key-not-secret",
            "API_RATE_LIMIT": "10000000/min",
        }
    )
    setup_django("load")

    from django.core.management import call_command

    from api.models import ApiClient, Scope
    from api.services import apikey_create
    from consents import demo as consents_demo
    from consents.models import ConsentPurpose
    from consents.services import consent_give, subject_get_or_create
    from privacy_register.models import System
    from self_service.tokens import preferences_link

    call_command("collectstatic", "--noinput", verbosity=0, stdout=io.StringIO())
    call_command("load_rezulto_register", verbosity=0, stdout=io.StringIO())
    consents_demo.load(stdout=io.StringIO())  # the purposes the preference centre lists
    subject = subject_get_or_create(email="belasting@example.nl", name="Bea Belasting")
    purpose = ConsentPurpose.objects.filter(is_active=True).order_by("slug").first()
    consent_give(subject=subject, purpose=purpose, method="web_form")
    client = ApiClient.objects.create(
        name="Load test", system=System.objects.first(), scopes=[Scope.CONSENTS_READ]
    )
    api_key = apikey_create(client=client)[1]
    question = json.dumps({"email": subject.email, "purpose": purpose.slug}).encode()
    pages = {
        "request form": Call("/privacy/verzoek/"),
        "preference centre": Call(f"/privacy/voorkeuren/{preferences_link.make(subject.pk)}/"),
        "api may-contact": Call(
            "/api/v1/may-contact/",
            "POST",
            question,
            (("Content-Type", "application/json"), ("Authorization", f"Api-Key {api_key}")),
        ),
    }

    env = {**os.environ}
    results: dict[tuple[str, int], dict] = {}
    for count in (1, 2):
        processes, ports = start_instances(count, options.workers, env, folder)
        try:
            for page, call in pages.items():
                if send(ports[0], call) != 200:
                    raise SystemExit(f"{page}: the server does not answer 200 (see {folder})")
                load(ports, call, clients=options.clients, duration=min(5, options.duration))
                results[page, count] = load(
                    ports, call, clients=options.clients, duration=options.duration
                )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)

    cores = os.cpu_count()
    print(
        f"\n{options.clients} clients, {options.duration:.0f} s each, {options.workers} workers "
        f"per instance, {cores} cores, load average before: {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'page':<20}{'instances':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}"
    )
    for (page, count), r in results.items():
        print(
            f"{page:<20}{count:>10}{r['rps']:>9.1f}{r['p50']:>9.0f}{r['p95']:>9.0f}"
            f"{r['p99']:>9.0f}{r['errors']:>8}"
        )
    for page in pages:
        one, two = results[page, 1], results[page, 2]
        record("load", f"{page}: req/s, two instances", two["rps"], "one instance", one["rps"])
        record("load", f"{page}: p99 ms, two instances", two["p99"], "one instance", one["p99"])
        record(
            "load", f"{page}: errors, two instances", two["errors"], "one instance", one["errors"]
        )
    print_table()


if __name__ == "__main__":
    main()
