"""What a browser would block on a page under its Content-Security-Policy, read from the HTML.

Covers what the site and the Wagtail admin use: scripts (inline, external, event-handler
attributes, javascript: URLs), styles (<style>, style="" attributes, stylesheets), images,
frames and form targets. Script elements whose type is not JavaScript (JSON-LD, JSON data,
templates) are data blocks: browsers never run them, so CSP does not apply to them.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

JAVASCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript"}
FALLBACK = {"frame-src": ["child-src", "default-src"]}
NO_DEFAULT = {"form-action", "frame-ancestors", "base-uri"}


def parse_policy(header):
    policy = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


class Resources(HTMLParser):
    """Everything on a page that CSP decides on, as (directive, url or "inline") pairs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(("script-src", "inline"))
            if name in ("href", "src", "action") and value.strip().lower().startswith("javascript:"):
                self.found.append(("script-src", "inline"))
        if "style" in attrs:
            self.found.append(("style-src", "inline"))
        if tag == "script":
            if "src" in attrs:
                self.found.append(("script-src", attrs["src"]))
            elif attrs.get("type", "").strip().lower() in JAVASCRIPT_TYPES:
                self.found.append(("script-src", "inline"))
        elif tag == "style":
            self.found.append(("style-src", "inline"))
        elif tag == "link" and "stylesheet" in attrs.get("rel", "").split():
            self.found.append(("style-src", attrs["href"]))
        elif tag in ("img", "source"):
            candidates = [c.split()[0] for c in attrs.get("srcset", "").split(",") if c.strip()]
            for url in [attrs.get("src"), *candidates]:
                if url:
                    self.found.append(("img-src", url))
        elif tag == "iframe" and attrs.get("src"):
            self.found.append(("frame-src", attrs["src"]))
        elif tag == "form" and attrs.get("action"):
            self.found.append(("form-action", attrs["action"]))


def inline_scripts(html):
    parser = Resources()
    parser.feed(html)
    return [url for directive, url in parser.found if directive == "script-src" and url == "inline"]


def blocked(html, policy_header, page_url="https://clinic.example/"):
    """The resources of `html` that the policy blocks, as "directive url" strings."""
    policy = parse_policy(policy_header)
    parser = Resources()
    parser.feed(html)
    return [
        f"{directive} {url}"
        for directive, url in parser.found
        if not _allowed(_sources(policy, directive), url, page_url)
    ]


def _sources(policy, directive):
    for name in [directive, *FALLBACK.get(directive, []), "default-src"]:
        if name in policy:
            return policy[name]
        if directive in NO_DEFAULT:
            return ["*"]
    return ["*"]


def _allowed(sources, url, page_url):
    if url == "inline":
        # A nonce or hash in the list makes browsers ignore 'unsafe-inline'.
        if any(s.startswith(("'nonce-", "'sha")) for s in sources):
            return False
        return "'unsafe-inline'" in sources
    target = urlsplit(urljoin(page_url, url))
    page = urlsplit(page_url)
    for source in sources:
        if source == "*" and target.scheme in ("http", "https"):
            return True
        if source == "'self'" and (target.scheme, target.netloc) == (page.scheme, page.netloc):
            return True
        if source.endswith(":") and target.scheme == source[:-1]:
            return True
        if "://" in source and f"{target.scheme}://{target.netloc}".startswith(source.rstrip("/")):
            return True
    return False
