"""Sites upgraded from older releases keep what they hold, on SQLite and on PostgreSQL: a site from
before the clinic's details moved to the core app keeps them, the rights over them, and the documents
uploaded before documents were kept apart (which leave the public uploads); condition pages written
before sections keep every word.

Each `migrate` takes seconds to most of a minute, so the kind of database the suite runs on is upgraded
once from an old site holding all that the upgrade must keep, and once from the current site taken
back; `.ci/run` runs the suite on both kinds."""

import shutil
from pathlib import Path

import pytest

from tests.servers import SUITE_DATABASE, manage, site_environment

pytestmark = pytest.mark.servers

# An old site, built in one process (each start of Django costs seconds): as it was before the
# clinic's details moved to the core app (core 0001), with its details recorded then; then as it was
# before documents were kept apart from the public uploads (core 0003), with one uploaded. The move
# runs on the way (core 0002 follows it); what it kept is read after the whole upgrade.
OLD_SITE = """
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from wagtail.documents.models import Document

call_command("migrate", "conditions", "0003")
call_command("migrate", "clinic", "0007")
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO clinic_clinicsettings (name, phone, email, address, opening_hours, site_id) "
        "VALUES ('Harbour Clinic', '020 7946 0000', '', '', '', 1)"
    )
    cursor.execute("INSERT INTO clinic_treatmentstatus (notice, site_id) VALUES ('<p>Not approved.</p>', 1)")

call_command("migrate", "core", "0002")
call_command("migrate", "wagtaildocs")
call_command("migrate", "wagtailsearch")
fees = Document.objects.create(title="Fees", file=ContentFile(b"Fees for 2026", name="fees.txt"))
print(fees.pk, fees.file.name)
"""
# What the upgraded site shows: its details and the reviewers' right over the notice; the document,
# and that new ones follow it; what is left in the public uploads.
READ_UPGRADED_SITE = """
from pathlib import Path
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from core.models import ClinicSettings, TreatmentStatus

details = ClinicSettings.objects.get()
reviewers = Group.objects.get(name="Medical reviewers")
print(details.name, details.phone, TreatmentStatus.objects.get().notice, sep="|")
print(reviewers.permissions.filter(content_type__app_label="core", codename="change_treatmentstatus").exists())

Document = get_document_model()
fees = Document.objects.get(title="Fees")
rota = Document.objects.create(title="Rota", file=ContentFile(b"Who is on call", name="rota.txt"))
print(fees.pk, fees.file.read().decode(), fees.url, rota.pk > fees.pk)
print(sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()))
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


@pytest.fixture(scope="module", params=[SUITE_DATABASE])
def databases(request, tmp_path_factory):
    """Databases of the kind the suite runs on (`.ci/run` runs it on each), made empty or as copies of
    another (a file copied; a PostgreSQL template), and the site as `make serve` leaves it on that kind
    (`current_site`)."""
    if request.param == "sqlite":
        return SQLiteDatabases(
            tmp_path_factory.mktemp("upgrade"), request.getfixturevalue("site_database_file")
        )
    return PostgresDatabases(
        request.getfixturevalue("throwaway_postgres"),
        request.getfixturevalue("site_template_environment")["DATABASE_URL"],
    )


@pytest.fixture
def current_site(databases, tmp_path):
    return site_environment(
        tmp_path, DATABASE_URL=databases.create(f"site_{tmp_path.name}", copy_of=databases.current_site)
    )


def test_an_old_sites_details_rights_and_documents_survive_the_upgrade(databases, tmp_path):
    old_site = site_environment(tmp_path, DATABASE_URL=databases.create("old_site"))
    document_id, file_name = manage(old_site, "shell", "-c", OLD_SITE).splitlines()[-1].split()
    assert (Path(old_site["MEDIA_ROOT"]) / file_name).exists()

    manage(old_site, "migrate")

    details, reviewers_may_change_notice, fees, public_files = manage(
        old_site, "shell", "-c", READ_UPGRADED_SITE
    ).splitlines()[-4:]
    assert details == "Harbour Clinic|020 7946 0000|<p>Not approved.</p>"
    assert reviewers_may_change_notice == "True"
    # The document keeps its id, its address and its file, which has left the public uploads; a new
    # one is numbered after it.
    assert fees == f"{document_id} Fees for 2026 /documents/{document_id}/fees.txt True"
    assert public_files == "[]"


# The current site taken back to the page body before sections (one stream of paragraphs), as older
# sites have it, in one process; then whether its bodies are that.
BEFORE_SECTIONS = """
from django.core.management import call_command
from django.db import connection
call_command("migrate", "conditions", "0007")
with connection.cursor() as cursor:
    cursor.execute("SELECT body FROM conditions_conditionpage ORDER BY page_ptr_id")
    print(all('"paragraph"' in str(body) and '"stem_cells"' not in str(body) for body, in cursor.fetchall()))
"""
EVERY_WORD = """
from django.utils.html import strip_tags
from conditions.models import ConditionPage
for page in ConditionPage.objects.order_by("slug"):
    draft = page.get_latest_revision_as_object()
    print(page.slug, [block.block_type for block in draft.body], " ".join(strip_tags(str(draft.body)).split()))
"""


def test_condition_pages_written_before_sections_keep_every_word(current_site):
    assert manage(current_site, "shell", "-c", BEFORE_SECTIONS).splitlines()[-1] == "True"

    manage(current_site, "migrate")

    pages = manage(current_site, "shell", "-c", EVERY_WORD).splitlines()[-3:]
    ms = next(line for line in pages if line.startswith("multiple-sclerosis"))
    # The whole text, in the editor's latest version too, in the section it is about.
    assert "['stem_cells']" in ms
    assert "MS is a chronic autoimmune disease where the immune cells attack the myelin sheath" in ms
    assert "help to preserve the axons in the CNS." in ms
