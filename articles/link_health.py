"""Checking that the articles' outbound links still lead somewhere.

A link is broken when the page is gone (404, 410, other client and server errors), the host does
not exist or refuses connections, or it keeps timing out. Some sites refuse robots (401, 403, 429,
LinkedIn's 999): their links are "blocked", which says nothing about whether patients can read them.
An address the site does not ask (on this machine or a private network: core.outbound) is broken
without being asked, so that the report tells nothing about what listens there.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus

import requests

from articles.models import LinkStatus
from core import outbound

BLOCKED_CODES = {401, 403, 429, 999}
USER_AGENT = "Mozilla/5.0 (compatible; clinic-link-check/1.0; checks links to cited articles)"


@dataclass(frozen=True)
class LinkCheck:
    status: LinkStatus
    status_code: int | None = None
    final_url: str = ""
    problem: str = ""
    refused: bool = False  # not asked at all: the address is one the site does not ask


def answer(response):
    code = response.status_code
    if code < 400:
        return LinkCheck(LinkStatus.OK, code, response.url)
    status = LinkStatus.BLOCKED if code in BLOCKED_CODES else LinkStatus.BROKEN
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:  # e.g. LinkedIn's 999
        phrase = "non-standard refusal"
    return LinkCheck(status, code, response.url, f"The site answered {code} ({phrase})")


def check_link(url, *, timeout=10.0, retries=1):
    """Follow `url` and its redirects. Each attempt gives up after `timeout` seconds of silence, or
    OUTBOUND_TOTAL_SECONDS in all; only the first are retried."""
    for attempt in range(retries + 1):
        try:
            # The headers are enough: the body is never downloaded.
            return answer(
                outbound.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT}, read_body=False)
            )
        except outbound.TookTooLong as slow:
            return LinkCheck(LinkStatus.BROKEN, problem=f"The site {slow}")
        except outbound.Refused as refusal:
            return LinkCheck(LinkStatus.BROKEN, problem=f"Not checked: {refusal}", refused=True)
        except requests.Timeout:
            if attempt == retries:
                tries = f"{retries + 1} tries" if retries else "1 try"
                return LinkCheck(LinkStatus.BROKEN, problem=f"Timed out ({tries} of {timeout:g} s)")
        except requests.TooManyRedirects:
            return LinkCheck(LinkStatus.BROKEN, problem="Redirects go round in a loop")
        except requests.exceptions.SSLError:
            return LinkCheck(LinkStatus.BROKEN, problem="The site's security certificate is not valid")
        except requests.ConnectionError as error:
            return LinkCheck(LinkStatus.BROKEN, problem=connection_problem(error))
        except requests.RequestException as error:
            return LinkCheck(LinkStatus.BROKEN, problem=f"Not a usable address ({type(error).__name__})")


def connection_problem(error):
    text = str(error)
    if "Failed to resolve" in text or "Name or service not known" in text:
        return "The site's name does not exist (DNS)"
    if "Connection refused" in text:
        return "The site refused the connection"
    return "Could not connect to the site"


def check_links(urls, *, workers=8, timeout=10.0, retries=1):
    """{url: LinkCheck} for each distinct url, several checked at a time."""
    distinct = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda url: check_link(url, timeout=timeout, retries=retries), distinct)
        return dict(zip(distinct, results, strict=True))
