"""`make serve-gunicorn` on a port and in a temporary folder of its own, for the scripts that audit
or picture the site (`make lighthouse`, `make screenshots`), which need no Varnish in front: its own
SQLite database unless DATABASE_URL is set, its own uploads, stopped with all its workers when the
script is done."""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium():
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is not installed at {CHROMIUM}: run .ci/install-browser as root.")


def wait_until_serving(server, url, log, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"`make serve-gunicorn` stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    sys.exit(f"`make serve-gunicorn` did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def trial_site(port, name):
    """Yields (base URL, the environment of its database) while `make serve-gunicorn` answers on `port`."""
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as workdir:
        workdir = Path(workdir)
        env = dict(os.environ, PORT=str(port))
        env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'site.sqlite3'}")
        env.setdefault("MEDIA_ROOT", str(workdir / "media"))
        base = f"http://127.0.0.1:{port}"
        log = workdir / "serve.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                ["make", "--no-print-directory", "serve-gunicorn"],  # noqa: S607 - make from PATH, as a developer runs it
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so that gunicorn's workers stop with it
            )
        try:
            wait_until_serving(server, base + "/", log)
            yield base, env
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
