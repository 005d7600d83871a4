"""`make backup` / `make restore`: a backup restored into a fresh database and an empty media
folder brings back every page, article, revision, enquiry and uploaded file."""

import json
import os
import shutil
import subprocess
import uuid
from urllib.parse import urlsplit

import pytest

from tests.servers import manage, site_environment

# Run inside the site (manage.py shell) to change it the way staff and patients do.
ADD_CONTENT = """
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
import io
from wagtail.images import get_image_model
from wagtail.models import Page
from enquiries.models import ConsultationPage, ConsultationRequest

page = Page.objects.get(slug="multiple-sclerosis").specific
page.title = "Multiple sclerosis (revised)"
page.save_revision().publish()
buffer = io.BytesIO()
PILImage.new("RGB", (32, 32), "teal").save(buffer, "PNG")
get_image_model().objects.create(title="Clinic entrance", file=ImageFile(buffer, name="entrance.png"))
ConsultationRequest.objects.create(
    page=ConsultationPage.objects.get(),
    form_data={"name": "A. Patient", "message": "Please call me about MS."},
    consented_at=timezone.now(),
)
"""

# What a restore must bring back: every row of every table, and the files.
INVENTORY = """
import json
from pathlib import Path
from django.apps import apps
from django.conf import settings
from wagtail.models import Page, Revision
from enquiries.models import ConsultationRequest
from articles.models import ArticlePage

media = Path(settings.MEDIA_ROOT)
print(json.dumps({
    "rows": {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed},
    "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
    "articles": sorted(ArticlePage.objects.values_list("title", flat=True)),
    "revisions": sorted(Revision.objects.values_list("id", "object_id")),
    "enquiries": [r.form_data for r in ConsultationRequest.objects.order_by("id")],
    "media": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
}, default=str))
"""


def inventory(environment):
    return json.loads(manage(environment, "shell", "-c", INVENTORY).splitlines()[-1])


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, site_database_file, tmp_path):
    """DATABASE_URLs for a site with content and for a fresh, empty database."""
    if request.param == "sqlite":
        shutil.copy(site_database_file, tmp_path / "site.sqlite3")
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}", f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return

    server = urlsplit(os.environ.get("DATABASE_URL", ""))
    if server.scheme not in ("postgres", "postgresql"):
        pytest.skip("PostgreSQL backups are tested when the suite runs on PostgreSQL (DATABASE_URL).")
    names = [f"clinic_backup_{uuid.uuid4().hex[:8]}_{role}" for role in ("site", "fresh")]
    admin = ["-h", server.hostname, "-p", str(server.port or 5432), "-U", server.username or "postgres"]
    for name in names:
        subprocess.run(["createdb", *admin, name], check=True)
    urls = [server._replace(path=f"/{name}").geturl() for name in names]
    manage(site_environment(tmp_path, DATABASE_URL=urls[0]), "migrate", "--noinput")
    manage(site_environment(tmp_path, DATABASE_URL=urls[0]), "load_initial_content")
    yield urls
    for name in names:
        subprocess.run(["dropdb", *admin, "--if-exists", "--force", name], check=True)


def test_a_restore_brings_back_everything(databases, tmp_path):
    site_url, fresh_url = databases
    site = site_environment(tmp_path, DATABASE_URL=site_url, MEDIA_ROOT=str(tmp_path / "media"))
    manage(site, "shell", "-c", ADD_CONTENT)
    before = inventory(site)
    assert "Multiple sclerosis (revised)" in {title for _, title, _ in before["pages"]}
    assert before["articles"] and before["enquiries"] and before["media"]

    manage(site, "backup_site", "--to", str(tmp_path / "backup"))

    fresh = site_environment(tmp_path, DATABASE_URL=fresh_url, MEDIA_ROOT=str(tmp_path / "fresh-media"))
    manage(fresh, "restore_site", "--noinput", str(tmp_path / "backup"))
    assert inventory(fresh) == before


def test_a_backup_never_overwrites_another(tmp_path, site_database_file):
    site = site_environment(tmp_path, DATABASE_URL=f"sqlite:///{site_database_file}")
    (tmp_path / "backup").mkdir()
    with pytest.raises(RuntimeError, match="already exists"):
        manage(site, "backup_site", "--to", str(tmp_path / "backup"))


def test_a_backup_of_another_kind_of_database_is_refused(tmp_path, site_database_file):
    site = site_environment(tmp_path, DATABASE_URL=f"sqlite:///{site_database_file}")
    manage(site, "backup_site", "--to", str(tmp_path / "backup"))
    manifest = tmp_path / "backup" / "backup.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "vendor": "postgresql"}))
    with pytest.raises(RuntimeError, match="This backup is of a postgresql database"):
        manage(site, "restore_site", "--noinput", str(tmp_path / "backup"))
