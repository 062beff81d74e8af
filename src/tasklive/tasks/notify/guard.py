"""A push endpoint is a URL a user hands the server: only public https hosts are reached."""

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore

from tasklive.errors import InvalidInputError

ENDPOINT_MAX = 2048


class EndpointRefusedError(InvalidInputError):
    """The push endpoint is not one this server will send to."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(endpoint: str, *, allow_http: bool) -> tuple[str, int]:
    """The endpoint's host and port, if its form is acceptable (https, no credentials)."""
    if len(endpoint) > ENDPOINT_MAX:
        raise EndpointRefusedError(f"A push endpoint can be at most {ENDPOINT_MAX} characters.")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise EndpointRefusedError("The push endpoint is not a valid URL.") from None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise EndpointRefusedError("A push endpoint must be an https:// URL.")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise EndpointRefusedError("The push endpoint must name a host, without credentials.")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def resolve_public(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The host's addresses; refused when any of them is loopback, private or link-local."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise EndpointRefusedError(f"The push endpoint's host {host} cannot be found.") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            if not _public(address):
                raise EndpointRefusedError(
                    f"The push endpoint's host {host} is a loopback, private or link-local "
                    "address; push services are on the public internet."
                )
    return addresses


async def check_endpoint(endpoint: str, *, allow_http: bool) -> None:
    """Refuse (422, saying why) an endpoint that is not https or not on a public address."""
    host, port = check_url(endpoint, allow_http=allow_http)
    await resolve_public(host, port, allow_private=allow_http)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to public addresses, judged after DNS resolution at connect time.

    Checking at subscription time alone would let a host re-resolve to 127.0.0.1 later (DNS
    rebinding); here the address connected to is the address checked. TLS still verifies the name.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_public(host, port, allow_private=self.allow_private)
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Push endpoints are reached over TCP only.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
