"""Who is posting: the client's IP address, trusting proxies only when told to."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

from .conf import app_setting


def _is_trusted_proxy(address: str, trusted: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in trusted)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless it is a configured proxy: then the nearest untrusted hop it reports.

    A client-supplied X-Forwarded-For is never believed by default (COMMENTS_TRUSTED_PROXIES
    is empty), since anyone can send one.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = app_setting("TRUSTED_PROXIES")
    if not remote or not trusted or not _is_trusted_proxy(remote, trusted):
        return _valid_ip(remote)
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted_proxy(hop, trusted):
            return _valid_ip(hop)
    return _valid_ip(remote)


def _valid_ip(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
