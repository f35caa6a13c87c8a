"""Rate limits for the public forms: at most N attempts per window, per client address and per
e-mail address, counted in Django's cache (Redis in production through CACHE_URL, the database
cache on the embedded default, so every web process shares one count).

Fixed windows: the count for a key lives in a cache entry named after the window it belongs to
(window = now // length), created by `cache.add` and raised by `cache.incr` (atomic on Redis; a read
and a write on the database cache, which can under-count a burst of simultaneous requests by a few,
acceptable for the one-machine default). After each increment the entry's expiry is set again to the
end of its window (`cache.touch`): the database cache's `incr` would otherwise reset it to the
default timeout. A burst across a window boundary can get up to twice the limit; that is the price
of a counter that costs one cache round trip. Keys hold a keyed hash of the e-mail address, never
the address itself.

We wrote these thirty lines rather than add django-ratelimit: we need the count keyed on a form
field after validation (the normalised e-mail address), one Dutch answer for both limits, and a
client address that honours a known number of proxies; the library would need about as much glue.
"""

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    attempts: int
    window_seconds: int


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or, behind SELF_SERVICE_TRUSTED_PROXIES proxies, the
    address the outermost trusted proxy saw (counted from the right of X-Forwarded-For, so a
    client cannot choose its own address by sending the header)."""
    proxies = settings.SELF_SERVICE_TRUSTED_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"self_service:rate:{scope}:{digest[:32]}"


def hit(scope: str, value: str, limit: Limit) -> bool:
    """Count one attempt for (scope, value); True while it is within the limit."""
    now = time.time()
    window = int(now // limit.window_seconds)
    seconds_left = max(1, math.ceil((window + 1) * limit.window_seconds - now))
    key = f"{_key(scope, value)}:{window}"
    if cache.add(key, 1, timeout=seconds_left):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr: a fresh window
        cache.add(key, 1, timeout=seconds_left)
        return True
    cache.touch(key, timeout=seconds_left)
    return count <= limit.attempts


def limit_for(name: str) -> Limit:
    attempts, window_seconds = settings.SELF_SERVICE_RATE_LIMITS[name]
    return Limit(attempts=attempts, window_seconds=window_seconds)
