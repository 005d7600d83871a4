import fcntl
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches

from articles.models import ArticleIndexPage
from clinic.models import HomePage
from conditions.models import ConditionPage
from core.initial_content import load_all
from enquiries.models import ConsultationPage


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The browser tests last (after pytest-django has ordered the rest): the browser's event loop
    then lives only while they run (tests/browser/conftest.py)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the site as `load_initial_content` builds it on a fresh database."""
    with django_db_blocker.unblock():
        load_all(log=lambda message: None)


@pytest.fixture(scope="session", autouse=True)
def throwaway_documents_folder():
    """The test settings' folder for uploaded documents, made for this run."""
    yield
    shutil.rmtree(settings.DOCUMENTS_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def fresh_local_cache():
    """The development settings' local-memory cache counts what each address sent (the limits) and
    holds what Wagtail keeps between requests: no test may inherit another's."""
    yield
    caches["default"].clear()


@pytest.fixture
def client():
    """Django's test client, whose force_login signs staff in with their second factor too
    (tests/second_factor.py): as staff are once they have given their code."""
    from tests.second_factor import StaffClient

    return StaffClient()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's administrator, signed in with their second factor (a client of its own, beside
    `client`)."""
    from tests.second_factor import StaffClient

    client = StaffClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def ms_page(db):
    """The multiple sclerosis page of the initial content."""
    return ConditionPage.objects.get(slug="multiple-sclerosis")


@pytest.fixture
def article_index(db):
    return ArticleIndexPage.objects.get()


@pytest.fixture
def consultation(db):
    """The "Book a consultation" page."""
    return ConsultationPage.objects.get()


@pytest.fixture
def make_staff(db, django_user_model):
    """A logged-in-able staff user in the named groups."""

    def make(username, *groups):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", "a-long-test-password"
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        assert user.groups.count() == len(groups), f"missing group among {groups}"
        return user

    return make


def made_once_for_the_run(tmp_path_factory, name, make):
    """A folder that `make(folder)` fills, made by the first of the run's workers to need it and
    shared with the others (xdist's workers have one temporary folder in common), since each takes
    seconds to make: the others wait for it to be made."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder, made = shared / name, shared / f"{name}.made"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


@pytest.fixture(scope="session")
def site_database_file(tmp_path_factory):
    """A SQLite file migrated and loaded as `make serve` leaves it, for tests that run the site
    (or its management commands) in other processes. Copy it before changing it."""
    from tests.servers import manage, site_environment

    def make(folder):
        environment = site_environment(folder, DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}")
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_initial_content")

    return made_once_for_the_run(tmp_path_factory, "site-database", make) / "db.sqlite3"


@pytest.fixture
def redis_server():
    """A Redis server of the test's own, on its own port, that the test may kill."""
    from tests.servers import ThrowawayRedis

    server = ThrowawayRedis()
    yield server
    server.kill()


@pytest.fixture
def purge_recorder():
    """A stand-in for the cache in front of the site, recording the paths it is asked to purge."""
    from tests.frontend_cache import PurgeRecorder

    server = PurgeRecorder()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def cdn(settings, purge_recorder):
    """The paths purged from the cache in front, which Wagtail's frontend cache is pointed at."""
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": purge_recorder.url,
        }
    }
    return purge_recorder.purged


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The site's static files, collected once for the run, for every site a test runs in another
    process: they only read them (STATIC_ROOT)."""
    from tests.servers import manage, site_environment

    def make(folder):
        manage(
            site_environment(folder, DATABASE_URL=f"sqlite:///{folder / 'unused.sqlite3'}"),
            "collectstatic",
            "--noinput",
        )

    return str(made_once_for_the_run(tmp_path_factory, "collected-static", make) / "static")


# The site as `make serve` leaves it, on PostgreSQL: each module's site is a copy of this database.
SITE_TEMPLATE = "clinic_template"


@pytest.fixture(scope="session")
def postgres_holding_the_site(collected_static, tmp_path_factory):
    """A stopped PostgreSQL cluster's data folder holding SITE_TEMPLATE, migrated and loaded, and the
    uploads the loading made: made once for the run, since migrating and loading the site takes half a
    minute where copying the folder takes a moment."""
    from tests.servers import ThrowawayPostgres, manage, site_environment

    def make(folder):
        server = ThrowawayPostgres()
        server.create_database(SITE_TEMPLATE)
        environment = site_environment(
            folder, DATABASE_URL=server.url_of(SITE_TEMPLATE), STATIC_ROOT=collected_static
        )
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_initial_content")
        server.stop()
        shutil.move(server.data, folder / "data")
        server.remove()

    return made_once_for_the_run(tmp_path_factory, "postgres-holding-the-site", make)


@pytest.fixture(scope="session")
def throwaway_postgres(postgres_holding_the_site):
    """A PostgreSQL server of the run's own (with several workers, of each worker's own), holding
    the site's template and each module's site. A test may stop it to see a site lose its database,
    and must start it again before it ends: modules run one after another, so no other module's
    site is using it meanwhile."""
    from tests.servers import ThrowawayPostgres

    server = ThrowawayPostgres(copy_of=postgres_holding_the_site / "data")
    yield server
    server.remove()


@pytest.fixture(scope="session")
def site_template_environment(throwaway_postgres, postgres_holding_the_site, collected_static):
    """The production settings for the template site on the run's server. Nothing stays connected
    to it, as copying it (`CREATE DATABASE ... TEMPLATE`) requires."""
    from tests.servers import site_environment

    return site_environment(
        postgres_holding_the_site,
        DATABASE_URL=throwaway_postgres.url_of(SITE_TEMPLATE),
        STATIC_ROOT=collected_static,
    )


@pytest.fixture(scope="module")
def throwaway_site_environment(site_template_environment, throwaway_postgres, request, tmp_path_factory):
    """The production settings for a site of the test module's own on the run's PostgreSQL server,
    as `make serve` leaves it (migrated, initial content loaded), for tests.servers.Site."""
    from tests.servers import site_environment

    database = f"site_{request.module.__name__.rpartition('.')[2]}"
    throwaway_postgres.create_database(database, template=SITE_TEMPLATE)
    folder = tmp_path_factory.mktemp("site")
    for uploads in ("MEDIA_ROOT", "DOCUMENTS_ROOT"):
        if Path(site_template_environment[uploads]).exists():
            shutil.copytree(
                site_template_environment[uploads], folder / Path(site_template_environment[uploads]).name
            )
    yield site_environment(
        folder,
        DATABASE_URL=throwaway_postgres.url_of(database),
        STATIC_ROOT=site_template_environment["STATIC_ROOT"],
    )
    throwaway_postgres.drop_database(database)


@pytest.fixture
def registries(settings):
    """Crossref, NCBI E-utilities and ClinicalTrials.gov stand-ins on this machine, the settings
    pointing at them (tests.evidence_registries)."""
    from tests.evidence_registries import point_settings_at, start_registries, stop_registries

    server = start_registries()
    point_settings_at(settings, server.url)
    yield server
    stop_registries(server)


@pytest.fixture
def no_network(settings):
    """Every registry refuses the connection, as on a machine without a network."""
    from tests.evidence_registries import closed_port_url, point_settings_at

    point_settings_at(settings, closed_port_url())
