"""Every request the site makes to another server goes through `get`.

Addresses come from editors (an article's web address) and from the answers of other servers
(redirects), so each one is checked after its name is resolved, at every redirect: nothing on this
machine, on a private network, link-local (a cloud server's metadata service), multicast or
reserved is asked (requests-hardened). An answer larger than OUTBOUND_MAX_ANSWER_BYTES is not read,
and a request that has not finished after OUTBOUND_TOTAL_SECONDS, however slowly the far side keeps
sending, is given up. Each refusal says which rule refused it.
"""

import ipaddress
import json
import queue
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.structures import CaseInsensitiveDict
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter

CHUNK_BYTES = 64 * 1024


class Refused(requests.RequestException):
    """The site would not make, or finish, this request; str() names the rule, for staff."""


class AddressRefused(Refused):
    pass


class AnswerTooLarge(Refused):
    pass


class TookTooLong(Refused):
    pass


@dataclass(frozen=True)
class Answer:
    status_code: int
    url: str  # where the redirects ended
    headers: CaseInsensitiveDict
    body: bytes  # empty unless asked for

    def json(self):
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.body)


def why_refused(address):
    """What makes an IP address one the site does not ask, or None for a public address."""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:
        return f"{address} is on this machine (loopback)"
    if address.is_link_local:
        return f"{address} is a link-local address (such as a cloud server's metadata service)"
    if address.is_multicast:
        return f"{address} is a multicast address"
    if address.is_reserved:
        return f"{address} is a reserved address"
    if address.is_private:
        return f"{address} is a private network address"
    if not address.is_global:
        return f"{address} is not a public internet address"
    return None


def why_refused_as_written(url):
    """Why the site would refuse `url` judging by its host as written, without asking DNS: an IP
    address in any notation the system reads (127.1, 0x7f000001 and [::1] included) or a name that
    always means this machine. None when the host is a public address or a name."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or f"{host}:{port}" in settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return f"{host} is on this machine (loopback)"
    try:
        numeric = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        return None  # a name: checked when the site resolves it
    return why_refused(ipaddress.ip_address(numeric[0][4][0].split("%")[0]))


def guarded_session():
    session = requests.Session()
    # Environment proxies would be asked for any address, past the checks below.
    session.trust_env = False
    for scheme in ("http://", "https://"):
        session.mount(scheme, IPFilterAdapter(is_https_proto=scheme == "https://"))
    for address in settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES:
        # The test suite's stand-ins ("127.0.0.1:8001"), by address and port: a redirect to any
        # other port on this machine is still refused.
        session.mount(f"http://{address}/", IPFilterAdapter(is_https_proto=False, allow_loopback=True))
    return session


def get(url, *, timeout, params=None, headers=None, read_body=True):
    """GET `url`, following redirects, as an Answer. `timeout` is how long any one wait for the
    far side may last; the whole request, redirects and body included, is given up after
    OUTBOUND_TOTAL_SECONDS. Raises Refused (see above), or what requests raises."""
    total = settings.OUTBOUND_TOTAL_SECONDS
    deadline = time.monotonic() + total
    given_up = threading.Event()
    outcome = queue.Queue(maxsize=1)

    def run():
        try:
            outcome.put(
                ("answer", fetch(url, params, headers, min(timeout, total), read_body, deadline, given_up))
            )
        except Exception as error:  # handed to the caller, which raises it
            outcome.put(("error", error))

    # In a thread of its own, so that a server sending its headers a byte at a time cannot hold
    # the caller (a web worker) past the deadline; the thread stops at its next read.
    threading.Thread(target=run, name=f"outbound request to {url[:100]}", daemon=True).start()
    try:
        kind, result = outcome.get(timeout=total)
    except queue.Empty:
        given_up.set()
        raise TookTooLong(f"took longer than {total:g} s") from None
    if kind == "error":
        raise result
    return result


def fetch(url, params, headers, timeout, read_body, deadline, given_up):
    redirects = []

    def note_redirect(response, **kwargs):
        if response.is_redirect:
            redirects.append(response.headers.get("Location", ""))

    with guarded_session() as session:
        try:
            response = session.get(
                url,
                params=params,
                headers=headers,
                timeout=timeout,
                stream=True,
                hooks={"response": note_redirect},
            )
        except InvalidIPAddress as refusal:
            reason = why_refused(ipaddress.ip_address(refusal.args[0])) or f"{refusal.args[0]} is refused"
            if redirects:
                reason = f"redirected to {redirects[-1]}, and {reason}"
            raise AddressRefused(reason) from None
        with response:
            body = read_capped(response, deadline, given_up) if read_body else b""
            return Answer(response.status_code, response.url, response.headers, body)


def read_capped(response, deadline, given_up):
    """The body, read a socket's worth at a time, stopped past the size cap or the deadline."""
    cap = settings.OUTBOUND_MAX_ANSWER_BYTES
    too_large = AnswerTooLarge(f"answer larger than {cap / 1_000_000:g} MB")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    body = bytearray()
    while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
        body += chunk
        if len(body) > cap:
            raise too_large
        if given_up.is_set() or time.monotonic() > deadline:
            raise TookTooLong(f"took longer than {settings.OUTBOUND_TOTAL_SECONDS:g} s")
    return bytes(body)
