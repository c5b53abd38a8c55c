"""Whose X-Forwarded-* headers are believed: only our own reverse proxies' (hardening item 10).

werkzeug's ProxyFix believes the last TRUSTED_PROXIES entries of X-Forwarded-For from whoever
sends them. If an app port can be reached past nginx, a client could write its own header and
pick its address for the per-IP limits and the audit. So ProxyFix is applied only to a request
whose direct peer (REMOTE_ADDR) is one of PROXY_ADDRESSES (PORTAL_PROXY_ADDRESSES: addresses or
networks, comma-separated; loopback by default, where the shape's nginx runs); any other peer
keeps its own address. docs/DEPLOY.md also asks that app ports be unreachable from outside.
"""

from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import ConfigError


def networks(addresses) -> tuple:
    try:
        return tuple(ipaddress.ip_network(a.strip(), strict=False)
                     for a in addresses if a and a.strip())
    except ValueError as exc:
        raise ConfigError(f"PORTAL_PROXY_ADDRESSES: {exc}") from None


class FromOurProxies:
    """ProxyFix for requests from a configured proxy; the plain app for anyone else."""

    def __init__(self, app, hops: int, addresses):
        self.plain = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)
        self.networks = networks(addresses)

    def _from_proxy(self, peer: str | None) -> bool:
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        fix = self._from_proxy(environ.get("REMOTE_ADDR"))
        return (self.fixed if fix else self.plain)(environ, start_response)
