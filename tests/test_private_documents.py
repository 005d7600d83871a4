"""Documents reach visitors only through Wagtail's document view, which checks their collection's
privacy: never as uploaded files, under /media/ or anywhere else, in the production configuration
as `make serve` runs it (Django serving uploads)."""

import shutil

import pytest

from tests.servers import Site, manage, site_environment

pytestmark = pytest.mark.servers

ADD_DOCUMENTS = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

Document = get_document_model()
root = Collection.get_first_root_node()
staff_only = root.add_child(name="Staff only")
CollectionViewRestriction.objects.create(
    collection=staff_only, restriction_type=CollectionViewRestriction.LOGIN
)
fees = Document.objects.create(title="Fees", file=ContentFile(b"Fees for 2026", name="fees.txt"))
rota = Document.objects.create(
    title="Rota", collection=staff_only, file=ContentFile(b"Who is on call", name="rota.txt")
)
print(fees.url, fees.file.name, rota.url, rota.file.name)
"""


@pytest.fixture(scope="module")
def site(site_database_file, collected_static, tmp_path_factory):
    folder = tmp_path_factory.mktemp("documents")
    shutil.copy(site_database_file, folder / "db.sqlite3")
    environment = site_environment(
        folder,
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        SERVE_MEDIA="true",
        STATIC_ROOT=collected_static,
    )
    running = Site(environment, folder / "gunicorn.log")
    # The shell says first what it imported; the documents' addresses and file names come last.
    running.documents = manage(environment, "shell", "-c", ADD_DOCUMENTS).splitlines()[-1].split()
    yield running
    running.stop()


def test_a_public_document_is_served_by_the_document_view(site):
    public_address = site.documents[0]
    response = site.get(public_address)
    assert response.status_code == 200
    assert response.content == b"Fees for 2026"


def test_a_document_in_a_login_only_collection_asks_for_sign_in(site):
    private_address = site.documents[2]
    response = site.get(private_address)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/_util/login/?next=")
    assert b"Who is on call" not in response.content


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/media/{name}", 404),
        # The documents' own folder, beside the uploaded files' (DOCUMENTS_ROOT): a path out of
        # MEDIA_ROOT is refused as a suspicious request.
        ("/media/%2e%2e/documents/{name}", 400),
    ],
)
def test_no_document_is_served_from_the_uploaded_files(site, address, status):
    for file_name in (site.documents[1], site.documents[3]):
        response = site.get(address.format(name=file_name))
        assert response.status_code == status
        assert b"Who is on call" not in response.content
        assert b"Fees for 2026" not in response.content


def test_the_site_will_not_start_with_documents_inside_the_folder_of_uploaded_files(tmp_path):
    refused = site_environment(tmp_path, DOCUMENTS_ROOT=str(tmp_path / "media" / "private"))
    with pytest.raises(RuntimeError, match=r"DOCUMENTS_ROOT .* is inside MEDIA_ROOT"):
        manage(refused, "check")
