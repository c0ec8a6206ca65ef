"""The client's address behind PCMD's own reverse proxy.

Owns: ClientAddressMiddleware, client_address().
Invariants: with PROXY_COUNT = 0 (no proxy, the default) REMOTE_ADDR is left as the socket gave
it and X-Forwarded-For is ignored, so a client cannot choose its own address. With N trusted
proxies in front (BEHIND_PROXY=1, PCMD_PROXY_COUNT=N), the address is the N-th entry from the
right of X-Forwarded-For — the one our outermost proxy appended — never an entry the client
wrote itself. Login lock-outs (django-axes), the public page's rate limits and the audit trail
all read REMOTE_ADDR, so they all see the real client.
Not here: what is done with the address (tips.ratelimit keeps only a keyed hash of it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(forwarded_for: str, proxies: int) -> str | None:
    """The address our outermost proxy saw, or None when the header cannot be trusted."""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if proxies <= 0 or len(hops) < proxies:
        return None
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Set REMOTE_ADDR to the real client's address when PCMD runs behind its own proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = getattr(settings, "PROXY_COUNT", 0)
        if proxies:
            address = client_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies)
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
