"""Throwaway servers for fault tests: a PostgreSQL cluster (one for the run, tests/conftest.py), a
Redis server and the site under gunicorn, each on its own port, started and stopped by the test.
The machine's shared PostgreSQL and Redis are never touched."""

import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
FIRST_PORT = 15433

# The kind of database the suite runs on ("sqlite" or "postgresql"). Upgrades and backups, which
# take up to a minute on each, are tried on it alone: `.ci/run` runs the suite on each kind.
SUITE_DATABASE = connection.vendor


def free_port():
    # In a random order, so that two test runs on one machine don't reach for the same port at once.
    for port in random.sample(range(FIRST_PORT, FIRST_PORT + 2000), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a throwaway server")


def require(available, what):
    """Skip a test that needs what this machine lacks, saying what in one line; in CI, where
    .ci/run provides everything, fail instead, so that a missing install step cannot pass as a skip."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must provide {what} (.ci/run installs it)", pytrace=False)
    pytest.skip(f"needs {what}")


def redis_answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False


def wait_until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f"gave up waiting for {what}")


def answers(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder: a new one, or a copy of a stopped one's data
    folder (`copy_of`). PostgreSQL refuses to run as root, so as root the cluster belongs to the
    `postgres` user."""

    def __init__(self, copy_of=None):
        require(
            (PG_BIN / "initdb").exists(),
            f"PostgreSQL 15's server programs in {PG_BIN} (Debian: postgresql-15)",
        )
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="clinic-pg-"))
        self.data = self.folder / "data"
        self.as_user = []
        if copy_of:
            shutil.copytree(copy_of, self.data)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            for path in [self.folder, *self.folder.rglob("*")]:
                os.chown(path, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        if not copy_of:
            self._run(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def url_of(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command):
        subprocess.run([*self.as_user, *map(str, command)], check=True, capture_output=True)

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.folder / "log", "-w", "start")

    def stop(self):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def create_database(self, database, template=None):
        """An empty database, or a copy of `template` (which nothing may be connected to)."""
        copy_of = ["--template", template] if template else []
        self._run(PG_BIN / "createdb", *self._address, *copy_of, database)

    def drop_database(self, database):
        self._run(PG_BIN / "dropdb", *self._address, "--force", database)

    @property
    def _address(self):
        return ["-h", "127.0.0.1", "-p", self.port, "-U", "postgres"]

    def remove(self):
        if answers(self.port):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class ThrowawayRedis:
    """`options` are extra redis-server arguments, e.g. ["--maxmemory", "1mb"]."""

    def __init__(self, options=()):
        require(shutil.which("redis-server"), "redis-server (Debian: redis-server)")
        self.port = free_port()
        self.options = list(options)
        self.process = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.port), "redis-server to listen")

    def kill(self):
        self.process.kill()
        self.process.wait()
        wait_until(lambda: not answers(self.port), "redis-server to stop listening")

    def hang(self):
        """Freeze the server: connections are accepted by the kernel but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


def site_environment(tmp_path, **extra):
    """The production settings as `make serve` runs them, with files kept in tmp_path."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS_ONLY": "false",
        "TRUSTED_PROXY_COUNT": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DOCUMENTS_ROOT": str(tmp_path / "documents"),
    }
    environment.pop("REDIS_URL", None)
    # The browser tests lift Django's async guard for their own thread; a site never runs so.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.update(extra)
    return environment


def manage(environment, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Site:
    """The site under gunicorn, as `make serve` runs it; its log is kept to be read by tests."""

    def __init__(self, environment, log_path, workers=1, port=None):
        self.port = port or free_port()
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "--config", "clinic/gunicorn.conf.py"],
            cwd=PROJECT,
            env={**environment, "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: answers(self.port), "gunicorn to listen")
        # Listening is not started: gunicorn binds its port before `when_ready` (which empties
        # Varnish) and before its workers exist; an answer means both are done.
        self.get("/healthz", timeout=60)

    def get(self, path, timeout=30, **kwargs):
        return requests.get(
            f"http://127.0.0.1:{self.port}{path}", timeout=timeout, allow_redirects=False, **kwargs
        )

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def logged(self):
        return Path(self.log_path).read_text()


class ThrowawayVarnish:
    """varnishd with the project's VCL (deploy/varnish/clinic.vcl) in a temporary working folder,
    in front of a gunicorn on `backend_port`; as `make serve` runs it, in the foreground."""

    VCL = PROJECT / "deploy" / "varnish" / "clinic.vcl"

    def __init__(self):
        require(
            shutil.which("varnishd") and list(Path("/usr/lib").glob("*/varnish/vmods/libvmod_vsthrottle.so")),
            "Varnish with its xkey and vsthrottle modules (Debian: varnish varnish-modules)",
        )
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="clinic-varnish-"))
        self.process = None
        # The secret the site's purges must carry (the site's VARNISH_PURGE_TOKEN).
        self.purge_token = secrets.token_urlsafe(32)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, backend_port, grace_seconds=21600):
        (self.folder / "backend.vcl").write_text(
            f'backend gunicorn {{ .host = "127.0.0.1"; .port = "{backend_port}"; .probe = healthz; }}\n'
        )
        (self.folder / "purge_token.vcl").write_text(
            f'sub purge_token {{ set req.http.purge-token-expected = "{self.purge_token}"; }}\n'
        )
        self.log = open(self.folder / "varnishd.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                "varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(self.folder / "work"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.VCL),
                "-p",
                f"vcl_path={self.folder}:/etc/varnish:/usr/share/varnish/vcl",
                "-p",
                f"default_grace={grace_seconds}",
                "-s",
                "malloc,64m",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: answers(self.port) or self.process.poll() is not None, "varnishd to listen")
        if self.process.poll() is not None:
            raise RuntimeError(
                f"varnishd did not start:\n{(self.folder / 'varnishd.log').read_text()[-3000:]}"
            )

    def backend_is_healthy(self):
        listing = subprocess.run(
            ["varnishadm", "-n", str(self.folder / "work"), "backend.list"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return " healthy " in listing

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Link:
    """A network link to a server's port that a test can cut and restore: connections to
    `port` reach `target_port` while it is up, and are refused while it is cut."""

    def __init__(self, target_port):
        self.port = free_port()
        self.target_port = target_port
        self.server = None
        self.restore()

    def restore(self):
        target_port = self.target_port

        class Relay(socketserver.BaseRequestHandler):
            def handle(self):
                with socket.create_connection(("127.0.0.1", target_port)) as upstream:
                    pump = threading.Thread(target=relay, args=(upstream, self.request), daemon=True)
                    pump.start()
                    relay(self.request, upstream)
                    pump.join()

        self.server = RelayServer(("127.0.0.1", self.port), Relay)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def cut(self):
        self.server.shutdown()
        self.server.server_close()


class RelayServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # restored on the port it was cut from
    daemon_threads = True


def relay(source, destination):
    try:
        while data := source.recv(65536):
            destination.sendall(data)
        destination.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # either end gone: the connection is over


# The administrator the multi-server tests create on their site, and how they sign in there: the
# password, then one of their recovery codes (the second step, core/two_factor.py), a new one each time.
ADMIN_USERNAME, ADMIN_PASSWORD = "chief", "a-long-admin-password"
ADMIN_RECOVERY_CODES = [f"chiefcode{number:03d}" for number in range(200)]
CREATE_ADMIN = (
    "from django.contrib.auth.models import User;"
    "from django_otp.plugins.otp_static.models import StaticDevice;"
    "from django_otp.plugins.otp_totp.models import TOTPDevice;"
    f"chief = User.objects.create_superuser('{ADMIN_USERNAME}', 'chief@example.com', '{ADMIN_PASSWORD}');"
    "TOTPDevice.objects.create(user=chief, name='Authenticator app');"
    "codes = StaticDevice.objects.create(user=chief, name='Recovery codes');"
    f"[codes.token_set.create(token=code) for code in {ADMIN_RECOVERY_CODES!r}];"
)
unused_admin_recovery_codes = iter(ADMIN_RECOVERY_CODES)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def signed_in_admin(base_url):
    """A browser-like session signed in to the admin at base_url through its login form."""
    staff = requests.Session()
    login_form = staff.get(f"{base_url}/admin/login/", timeout=30).text
    response = staff.post(
        f"{base_url}/admin/login/",
        data={
            "username": ADMIN_USERNAME,
            "password": ADMIN_PASSWORD,
            "csrfmiddlewaretoken": csrf_token(login_form),
        },
        timeout=30,
    )
    assert response.ok and "/admin/second-factor/" in response.url, response.url
    response = staff.post(
        response.url,
        data={"code": next(unused_admin_recovery_codes), "csrfmiddlewaretoken": csrf_token(response.text)},
        timeout=30,
    )
    assert response.ok and "/admin/second-factor/" not in response.url, response.url
    return staff
