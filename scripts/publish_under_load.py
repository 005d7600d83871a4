"""For `make bench`: an editor publishing a condition page again and again while visitors read it.

    publish_under_load.py <Varnish's address> <the page's path> <publishes>

Run with the project's Python and the environment `make serve` gives the site (the production
settings, Varnish's address and purge secret), so that each publish purges Varnish as the site's
own do. Once the site is loaded (and has published the page once, unmeasured) it prints "ready" and waits for a line on stdin; then, once a
second, it publishes the page with a new summary and asks Varnish for the page, as a visitor
would, until the summary shows. It prints JSON: the seconds from each publish's start to the first
visitor seeing it (null when none did within MOST_SECONDS). The page's own summary is published
again at the end, so that the site reads as before.
"""

import json
import sys
import time
import urllib.request
from pathlib import Path

# The project's apps are importable from its root, as they are for manage.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from conditions.models import ConditionPage  # noqa: E402

MOST_SECONDS = 5
POLL_SECONDS = 0.01


def publish(page, summary):
    draft = page.get_latest_revision_as_object()
    draft.summary = summary
    draft.save_revision().publish()


def shows(address, text):
    with urllib.request.urlopen(address, timeout=MOST_SECONDS) as response:  # noqa: S310 - Varnish on loopback
        return text in response.read().decode()


def seconds_to_reach_visitors(page, address, summary):
    started = time.monotonic()
    publish(page, summary)
    while time.monotonic() - started < MOST_SECONDS:
        if shows(address, summary):
            return round(time.monotonic() - started, 3)
        time.sleep(POLL_SECONDS)
    return None


def main(varnish, path, publishes):
    page = ConditionPage.objects.live().get(slug=path.strip("/").rsplit("/", 1)[-1])
    original = page.summary
    address = varnish.rstrip("/") + path
    # A first publish, unmeasured, as a site that has been running has already done one: it loads
    # the code and connections publishing needs, which a gunicorn worker holds from then on.
    publish(page, original)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    delays = []
    try:
        for number in range(1, publishes + 1):
            delays.append(
                seconds_to_reach_visitors(page, address, f"Summary number {number} of {publishes}.")
            )
            time.sleep(max(0, started + number - time.monotonic()))
    finally:
        publish(page, original)
    print(json.dumps(delays))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
