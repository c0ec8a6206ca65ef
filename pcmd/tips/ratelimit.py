"""Rate limits of the public page, without keeping the client's address.

Owns: Limit, SUBMIT, LOOKUP, limit_hit().
Invariants: the counter lives only in the Django cache under a keyed hash of the client address
(HMAC with SECRET_KEY and the limit's name), and expires with the limit's window; nothing about
the client is written to the database or the tip. A client past the limit is refused until the
window ends.
Not here: the views that apply it (public_views.py).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    requests: int
    window_seconds: int


SUBMIT = Limit("submit", 5, 60 * 60)  # five tips an hour from one address
LOOKUP = Limit("lookup", 20, 10 * 60)  # twenty status checks or messages in ten minutes


def _client_key(request: HttpRequest, limit: Limit) -> str:
    address = request.META.get("REMOTE_ADDR", "") or ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{limit.name}:{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"tips-rl:{limit.name}:{digest[:40]}"


def limit_hit(request: HttpRequest, limit: Limit) -> bool:
    """Count this request; True when the client has gone past the limit in the window."""
    key = _client_key(request, limit)
    if cache.add(key, 1, timeout=limit.window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.window_seconds)
        return False
    return count > limit.requests
