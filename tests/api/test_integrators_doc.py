"""docs/integrators.md, run: every `curl` block of the page, in its order, with the real `curl`
binary against a live server, with real keys (made by the service the admin's action calls), the
ledger's sequencer queued as in production. Each block's answer, shown under it in an `http`
block, is checked: the status, the headers shown, the fields of the body (an error's body and the
yes/no answers word for word). The page's webhook body and its signature check (the `python`
block) are checked against the delivery a receiver got. The test reads the page: they cannot
drift apart."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from api import jobs
from api.models import Scope
from tests.api.conftest import ALL_SCOPES
from tests.api.test_webhooks import Receiver
from tests.consents.conftest import clear_ledger
from tests.factories.consents import purpose_with_wording

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrators.md"
EXAMPLE = re.compile(r"```sh\n(?P<command>.*?)```\n\n```http\n(?P<answer>.*?)```", re.DOTALL)
# The doc's curl, with what the test reads: the body to a file, the headers to a file, the status
# on stdout. The command itself is the page's, unchanged.
WRAPPER = (
    'curl() { command curl --silent --show-error --max-time 60 --output "$BODY_FILE" '
    '--dump-header "$HEAD_FILE" --write-out \'%{http_code}\' "$@"; }\n'
)


def examples(text: str) -> list[tuple[str, int, dict[str, str], str]]:
    """(command, status, headers shown, body shown) of each curl block with its answer."""
    found = []
    for match in EXAMPLE.finditer(text):
        status_line, *lines = match["answer"].splitlines()
        blank = lines.index("") if "" in lines else len(lines)
        headers = {
            name.strip().lower(): value.strip()
            for name, value in (line.split(":", 1) for line in lines[:blank])
        }
        body = "\n".join(lines[blank + 1 :])
        found.append((match["command"], int(status_line.split()[1]), headers, body))
    return found


def parse(body: str):
    """A JSON body, or NDJSON (a list of its lines), or None when there is none."""
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        return [json.loads(line) for line in body.splitlines() if line.strip()]


def run(command: str, env: dict, tmp_path: Path) -> tuple[int, dict[str, str], str]:
    body_file, head_file = tmp_path / "body", tmp_path / "head"
    for f in (body_file, head_file):
        f.unlink(missing_ok=True)
    done = subprocess.run(
        ["bash", "-euc", WRAPPER + command],
        env={**env, "BODY_FILE": str(body_file), "HEAD_FILE": str(head_file)},
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    headers = {}
    for line in head_file.read_text().splitlines()[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return int(done.stdout), headers, body_file.read_text() if body_file.exists() else ""


def keys(value) -> list:
    """The fields of a body: a dict's keys, or each element's for a list of dicts."""
    if isinstance(value, dict):
        return sorted(value)
    if isinstance(value, list):
        return [keys(item) for item in value]
    return []


@pytest.fixture
def ledger_emptied_after():
    """The ledger refuses the flush that ends a transactional test: empty it first."""
    yield
    clear_ledger()


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


@pytest.mark.skipif(shutil.which("curl") is None, reason="the curl binary is not installed")
def test_every_curl_example_of_the_integrators_page_answers_as_the_page_says(
    live_server, ledger_emptied_after, make_key, receiver, settings, tmp_path
):
    settings.CONSENT_SEQUENCER_INLINE = False  # production's path: one event waits in the queue
    purpose_with_wording(slug="nieuwsbrief")
    env = {
        "PATH": os.environ["PATH"],
        "API": f"{live_server.url}/api/v1",
        "KEY": make_key(ALL_SCOPES, name="Webshop"),
        "NEWSLETTER_KEY": make_key([Scope.CONSENTS_READ], name="Nieuwsbriefplatform"),
        "HOOK_URL": receiver.url,
    }
    text = DOC.read_text()
    found = examples(text)
    # every curl block has its answer under it (a block the pattern missed would go unchecked)
    assert len(found) == text.count("```sh\n") and len(found) >= 15

    for command, status, shown_headers, shown_body in found:
        where = command.splitlines()[0]
        got_status, got_headers, got_body = run(command, env, tmp_path)
        assert got_status == status, f"{where}: {got_status} {got_body}"
        for name, value in shown_headers.items():
            assert got_headers.get(name, "").startswith(value), f"{where}: {name}"
        shown, got = parse(shown_body), parse(got_body)
        assert keys(got) == keys(shown), f"{where}: {got_body}"
        if status >= 400 or "may-contact" in command:
            assert got == shown, where
        if isinstance(got, dict):  # its fields, for the examples after it: $REFERENCE, $ID, …
            env.update(
                {
                    name.upper(): str(value)
                    for name, value in got.items()
                    if isinstance(value, str | int) and not isinstance(value, bool)
                }
            )
            if "secret" in got:
                receiver.secret = got["secret"]
        jobs.webhooks_sweep()  # the worker's sweep, between one call and the next

    # The withdrawal after the subscription reached the receiver, as the page shows it …
    [delivery] = receiver.received
    assert delivery["event"] == "consent.withdrawn" and delivery["valid"]
    [shown_delivery] = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.DOTALL)]
    assert keys(delivery["body"]) == keys(shown_delivery)
    assert keys(delivery["body"]["data"]) == keys(shown_delivery["data"])
    assert delivery["body"]["data"]["email"] == shown_delivery["data"]["email"]
    assert delivery["body"]["data"]["sequence"] is None  # told while queued, as the page says
    # … and the page's own signature check accepts it, and refuses it altered or under another key
    [code] = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 — the page's code, run
    verify = namespace["verify_signature"]
    assert verify(receiver.secret, delivery["signature"], delivery["raw"])
    assert not verify(receiver.secret, delivery["signature"], delivery["raw"] + b" ")
    assert not verify("whsec_another", delivery["signature"], delivery["raw"])
