"""A site running before the clinic's details moved to the core app keeps them through the upgrade:
the same rows, and the same rights over them, on SQLite and on PostgreSQL.

Migrating from nothing takes most of a minute, so each kind of database is migrated to the old site
once, and each test upgrades a copy of its own."""

import shutil
from pathlib import Path

import pytest

from tests.servers import manage, site_environment

pytestmark = pytest.mark.servers

# The site before the clinic's details moved to the core app, which every test but one upgrades.
BEFORE_THE_MOVE = [("conditions", "0003"), ("clinic", "0007")]
RECORD_DETAILS = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO clinic_clinicsettings (name, phone, email, address, opening_hours, site_id) "
        "VALUES ('Harbour Clinic', '020 7946 0000', '', '', '', 1)"
    )
    cursor.execute("INSERT INTO clinic_treatmentstatus (notice, site_id) VALUES ('<p>Not approved.</p>', 1)")
"""
READ_DETAILS = """
from django.contrib.auth.models import Group
from core.models import ClinicSettings, TreatmentStatus
details = ClinicSettings.objects.get()
reviewers = Group.objects.get(name="Medical reviewers")
print(details.name, details.phone, TreatmentStatus.objects.get().notice, sep="|")
print(reviewers.permissions.filter(content_type__app_label="core", codename="change_treatmentstatus").exists())
"""


class SQLiteDatabases:
    """SQLite files in a folder; a copy is the file copied."""

    def __init__(self, folder, current_site):
        self.folder = folder
        self.current_site = f"sqlite:///{current_site}"

    def create(self, name, copy_of=None):
        path = self.folder / f"{name}.sqlite3"
        if copy_of:
            shutil.copy(copy_of.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"


class PostgresDatabases:
    """Databases on the run's PostgreSQL server; a copy is made with the original as its template."""

    def __init__(self, server, current_site):
        self.server = server
        self.current_site = current_site

    def create(self, name, copy_of=None):
        self.server.create_database(name, template=copy_of and copy_of.rpartition("/")[2])
        return self.server.url_of(name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def databases(request, tmp_path_factory):
    """Databases of one kind, made empty or as copies of another (a file copied; a PostgreSQL
    template), and the site as `make serve` leaves it on that kind (`current_site`)."""
    if request.param == "sqlite":
        return SQLiteDatabases(
            tmp_path_factory.mktemp("upgrade"), request.getfixturevalue("site_database_file")
        )
    return PostgresDatabases(
        request.getfixturevalue("throwaway_postgres"),
        request.getfixturevalue("site_template_environment")["DATABASE_URL"],
    )


@pytest.fixture(scope="module")
def site_before_the_move(databases, tmp_path_factory):
    """Migrated once from nothing to where it was before the move; each test upgrades a copy."""
    environment = site_environment(tmp_path_factory.mktemp("old"), DATABASE_URL=databases.create("old_site"))
    for app, migration in BEFORE_THE_MOVE:
        manage(environment, "migrate", app, migration)
    return environment["DATABASE_URL"]


@pytest.fixture
def old_site(databases, site_before_the_move, tmp_path):
    return site_environment(
        tmp_path, DATABASE_URL=databases.create(f"old_site_{tmp_path.name}", copy_of=site_before_the_move)
    )


@pytest.fixture
def current_site(databases, tmp_path):
    return site_environment(
        tmp_path, DATABASE_URL=databases.create(f"site_{tmp_path.name}", copy_of=databases.current_site)
    )


def test_the_clinics_details_and_who_may_change_the_notice_survive_the_upgrade(old_site):
    manage(old_site, "shell", "-c", RECORD_DETAILS)

    manage(old_site, "migrate")

    details, reviewers_may_change_notice = manage(old_site, "shell", "-c", READ_DETAILS).splitlines()[-2:]
    assert details == "Harbour Clinic|020 7946 0000|<p>Not approved.</p>"
    assert reviewers_may_change_notice == "True"


EVERY_WORD = """
from django.utils.html import strip_tags
from conditions.models import ConditionPage
for page in ConditionPage.objects.order_by("slug"):
    draft = page.get_latest_revision_as_object()
    print(page.slug, [block.block_type for block in draft.body], " ".join(strip_tags(str(draft.body)).split()))
"""
RAW_BODIES = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT body FROM conditions_conditionpage ORDER BY page_ptr_id")
    print(all('"paragraph"' in str(body) and '"stem_cells"' not in str(body) for body, in cursor.fetchall()))
"""


def test_condition_pages_written_before_sections_keep_every_word(current_site):
    # Back to the page body before sections (one stream of paragraphs), as older sites have it.
    manage(current_site, "migrate", "conditions", "0007")
    assert manage(current_site, "shell", "-c", RAW_BODIES).splitlines()[-1] == "True"

    manage(current_site, "migrate")

    pages = manage(current_site, "shell", "-c", EVERY_WORD).splitlines()[-3:]
    ms = next(line for line in pages if line.startswith("multiple-sclerosis"))
    # The whole text, in the editor's latest version too, in the section it is about.
    assert "['stem_cells']" in ms
    assert "MS is a chronic autoimmune disease where the immune cells attack the myelin sheath" in ms
    assert "help to preserve the axons in the CNS." in ms


BEFORE_DOCUMENTS_WERE_KEPT_APART = [("core", "0002"), ("wagtaildocs", None), ("wagtailsearch", None)]
UPLOAD_DOCUMENT_AS_BEFORE = """
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
fees = Document.objects.create(title="Fees", file=ContentFile(b"Fees for 2026", name="fees.txt"))
print(fees.pk, fees.file.name)
"""
READ_DOCUMENTS = """
from pathlib import Path
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
Document = get_document_model()
fees = Document.objects.get(title="Fees")
rota = Document.objects.create(title="Rota", file=ContentFile(b"Who is on call", name="rota.txt"))
print(fees.pk, fees.file.read().decode(), fees.url, rota.pk > fees.pk)
print(sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()))
"""


def test_documents_uploaded_before_the_upgrade_move_out_of_the_public_uploads(old_site):
    for app, migration in BEFORE_DOCUMENTS_WERE_KEPT_APART:
        manage(old_site, "migrate", app, *([migration] if migration else []))
    document_id, file_name = (
        manage(old_site, "shell", "-c", UPLOAD_DOCUMENT_AS_BEFORE).splitlines()[-1].split()
    )
    assert (Path(old_site["MEDIA_ROOT"]) / file_name).exists()

    manage(old_site, "migrate")

    fees, public_files = manage(old_site, "shell", "-c", READ_DOCUMENTS).splitlines()[-2:]
    assert fees == f"{document_id} Fees for 2026 /documents/{document_id}/fees.txt True"
    assert public_files == "[]"
