"""The HTTP connector: our own JSON contract (docs/connectors.md) that a system implements. Each
call is a POST of a JSON body, signed with HMAC-SHA256 under the connector's key over
`<timestamp>.<body>`; a connection error, a timeout or a 5xx is retried with backoff, a 4xx is
not (the system refused: retrying changes nothing).

- `POST {base}/access`   {"email"} → {"tables": {table: [row, …]}}
- `POST {base}/status`   {"email"} → {"tables": {table: {"rows", "delete", "update", "keep"}},
                                       "erasable": n}
- `POST {base}/erase`    {"email"} → {"deleted": {table: n}, "updated": {…}, "kept": [{…}]}
- `POST {base}/rectify`  {"email", "changes"} → {"fields": [name, …]}
- `POST {base}/restrict` {"email"} → {"records": n}
- `POST {base}/subjects` {"after": cursor | null, "limit": n} → {"subjects": [{"email", "name"}, …],
                                       "next": cursor | null}   (everyone the system holds, a page
                                       at a time: the notice to the people affected by a breach)
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Privacy-Signature"
TIMESTAMP_HEADER = "X-Privacy-Timestamp"
# How old a signed call may be when it arrives (a replayed call is refused by the system).
MAX_AGE_SECONDS = 300


def signature(key: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(key, timestamp + "." + body)."""
    digest = hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(key: str, timestamp: str, body: bytes, given: str, *, now: float | None = None) -> bool:
    """What a system implementing the contract checks (the test server uses this too)."""
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= MAX_AGE_SECONDS and hmac.compare_digest(signature(key, timestamp, body), given)


class ContractError(RuntimeError):
    """The system answered, but not as the contract says (a 4xx, or a body that is not JSON)."""


@dataclass
class Client:
    base_url: str
    key: str
    timeout: float = 30
    attempts: int = 3
    backoff: float = 0.5  # seconds before the second attempt; doubled each time

    def call(self, operation: str, payload: dict) -> dict:
        body = json.dumps(payload, sort_keys=True).encode()
        last = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            timestamp = str(int(time.time()))
            request = urllib.request.Request(
                self.base_url.rstrip("/") + "/" + operation,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    TIMESTAMP_HEADER: timestamp,
                    SIGNATURE_HEADER: signature(self.key, timestamp, body),
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read()
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    raise ContractError(f"HTTP {error.code} on {operation}") from error
                last = error
                continue
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                last = error
                continue
            try:
                return json.loads(text or b"{}")
            except ValueError as error:
                raise ContractError(f"{operation}: the answer is not JSON") from error
        raise ContractError(f"{operation}: no answer after {self.attempts} attempts ({last})")

    def access(self, email: str) -> dict:
        return self.call("access", {"email": email})

    def status(self, email: str) -> dict:
        return self.call("status", {"email": email})

    def erase(self, email: str) -> dict:
        return self.call("erase", {"email": email})

    def rectify(self, email: str, changes: dict) -> dict:
        return self.call("rectify", {"email": email, "changes": changes})

    def restrict(self, email: str) -> dict:
        return self.call("restrict", {"email": email})

    def subjects(self, after: str | None, limit: int) -> dict:
        return self.call("subjects", {"after": after, "limit": limit})
