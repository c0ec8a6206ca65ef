"""Behind our proxies the client's address is the one the outermost proxy saw; without one a
client cannot pick its own address with a header."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from pcmd.common.proxy import ClientAddressMiddleware, client_address


def _seen(**meta: str) -> str:
    request = RequestFactory().get("/", **meta)
    seen: dict[str, str] = {}

    def view(req):
        seen["addr"] = req.META["REMOTE_ADDR"]
        return HttpResponse()

    ClientAddressMiddleware(view)(request)
    return seen["addr"]


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # the client wrote the first entry
        ("6.6.6.6, 198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
        ("198.51.100.7", 2, None),  # fewer hops than proxies: not trusted
        ("not-an-address", 1, None),
        ("", 1, None),
        ("198.51.100.7", 0, None),
    ],
)
def test_client_address_takes_the_entry_our_outermost_proxy_appended(header, proxies, expected):
    assert client_address(header, proxies) == expected


@override_settings(PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored():
    assert _seen(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6") == "203.0.113.5"


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_the_forwarded_address_is_used():
    seen = _seen(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert seen == "198.51.100.7"


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_a_request_without_the_header_keeps_its_socket_address():
    assert _seen(REMOTE_ADDR="127.0.0.1") == "127.0.0.1"
