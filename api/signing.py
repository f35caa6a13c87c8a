"""The webhook signature, pure: HMAC-SHA256 under the subscription's secret over
`<timestamp>.<body>`, sent as `Rezulto-Signature: t=<timestamp>,v1=<hex>` (README, "The API";
tests/api has a receiver that checks it with the standard library alone). The timestamp in the
signed text stops a replay of an old body."""

import hashlib
import hmac

HEADER = "Rezulto-Signature"
TOLERANCE_SECONDS = 300


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(*, secret: str, header: str, body: bytes, now: int) -> bool:
    """True when the header signs this body under this secret, made at most five minutes ago."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
