"""The client's address behind TRUSTED_PROXY_COUNT proxies, for django-axes and the sign-in
history. Each proxy appends the address it received the request from to X-Forwarded-For, so the
client is the TRUSTED_PROXY_COUNT-th entry from the right; whatever a client wrote into the header
itself stands further left and is never read. Without proxies (0) the header is ignored."""

from django.conf import settings


def address_from(meta: dict, trusted_proxies: int) -> str:
    """Pure: the client address from a request's META and the number of trusted proxies."""
    if trusted_proxies > 0:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= trusted_proxies:
            return hops[-trusted_proxies]
    return meta.get("REMOTE_ADDR", "")


def client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address of the client that sent this request."""
    return address_from(request.META, settings.TRUSTED_PROXY_COUNT)
