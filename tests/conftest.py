import shutil

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


@pytest.fixture(scope="session")
def site_database_file(tmp_path_factory):
    """A SQLite file migrated and loaded as `make serve` leaves it, for tests that run the site
    (or its management commands) in other processes. Copy it before changing it."""
    from tests.servers import manage, site_environment

    folder = tmp_path_factory.mktemp("site-database")
    path = folder / "db.sqlite3"
    environment = site_environment(folder, DATABASE_URL=f"sqlite:///{path}")
    manage(environment, "migrate", "--noinput")
    manage(environment, "load_initial_content")
    return path


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


@pytest.fixture(scope="module")
def throwaway_postgres():
    """A PostgreSQL server of the test module's own, which its tests may stop and start."""
    from tests.servers import ThrowawayPostgres

    server = ThrowawayPostgres()
    yield server
    server.remove()


@pytest.fixture(scope="module")
def throwaway_site_environment(throwaway_postgres, tmp_path_factory):
    """The production settings for the site on that server, migrated and loaded as `make serve`
    leaves it, for tests.servers.Site."""
    from tests.servers import manage, site_environment

    throwaway_postgres.create_database()
    environment = site_environment(tmp_path_factory.mktemp("site"), DATABASE_URL=throwaway_postgres.url)
    manage(environment, "migrate", "--noinput")
    manage(environment, "load_initial_content")
    manage(environment, "collectstatic", "--noinput")
    return environment


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
