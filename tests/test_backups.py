"""`make backup` / `make restore`: a backup restored into a fresh database and empty folders of
uploads brings back every page, article, revision, enquiry and uploaded image and document; one
over a running site purges every page from the cache in front."""

import io
import json
import os
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from tests.servers import SUITE_DATABASE, manage, site_environment

pytestmark = pytest.mark.servers

# Run inside the site (manage.py shell) to change it the way staff and patients do.
ADD_CONTENT = """
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
import io
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from enquiries.models import ConsultationPage, ConsultationRequest

page = Page.objects.get(slug="multiple-sclerosis").specific
page.title = "Multiple sclerosis (revised)"
page.save_revision().publish()
buffer = io.BytesIO()
PILImage.new("RGB", (32, 32), "teal").save(buffer, "PNG")
get_image_model().objects.create(title="Clinic entrance", file=ImageFile(buffer, name="entrance.png"))
get_document_model().objects.create(title="Fees", file=ContentFile(b"Fees for 2026", name="fees.txt"))
ConsultationRequest.objects.create(
    page=ConsultationPage.objects.get(),
    form_data={"name": "A. Patient", "message": "Please call me about MS."},
    consented_at=timezone.now(),
)
"""

# What a restore must bring back: every row of every table, and the files.
INVENTORY = """
import io
import json
from pathlib import Path
from django.apps import apps
from django.conf import settings
from wagtail.models import Page, Revision
from enquiries.models import ConsultationRequest
from articles.models import ArticlePage

media = Path(settings.MEDIA_ROOT)
documents = Path(settings.DOCUMENTS_ROOT)
print(json.dumps({
    "rows": {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed},
    "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
    "articles": sorted(ArticlePage.objects.values_list("title", flat=True)),
    "revisions": sorted(Revision.objects.values_list("id", "object_id")),
    "enquiries": [r.form_data for r in ConsultationRequest.objects.order_by("id")],
    "media": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    "documents": {str(p.relative_to(documents)): p.read_text() for p in documents.rglob("*") if p.is_file()},
}, default=str))
"""


def inventory(environment, first=""):
    """The site's inventory, after running `first` there in the same process: each start of Django
    costs seconds."""
    return json.loads(manage(environment, "shell", "-c", first + INVENTORY).splitlines()[-1])


@pytest.fixture(params=[SUITE_DATABASE])
def databases(request, site_database_file, tmp_path):
    """DATABASE_URLs for a site as `make serve` leaves it and for a fresh, empty database, of the kind
    the suite runs on (`.ci/run` runs it on each)."""
    if request.param == "sqlite":
        shutil.copy(site_database_file, tmp_path / "site.sqlite3")
        return f"sqlite:///{tmp_path / 'site.sqlite3'}", f"sqlite:///{tmp_path / 'fresh.sqlite3'}"

    # On the run's throwaway server, a copy of its template site: a moment, where migrating and
    # loading the site takes half a minute.
    server = request.getfixturevalue("throwaway_postgres")
    template = request.getfixturevalue("site_template_environment")["DATABASE_URL"].rpartition("/")[2]
    names = [f"backup_{role}_{tmp_path.name}" for role in ("site", "fresh")]
    server.create_database(names[0], template=template)
    server.create_database(names[1])
    return [server.url_of(name) for name in names]


# A member of staff signed in: the session a thief of the backup would like to take over.
SIGN_IN = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_superuser("director", "director@clinic.example", "a-long-test-password")
session = SessionStore()
session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash()})
session.create()
print(session.session_key)
"""


def every_byte(folder):
    """The backup's contents as a reader would see them: a PostgreSQL dump is compressed, so it is
    read through pg_restore, as SQL."""
    contents = b""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".pgdump":
            contents += subprocess.run(
                ["pg_restore", "-f", "-", path], check=True, capture_output=True
            ).stdout
        else:
            contents += path.read_bytes()
    return contents


def backup_with_umask_022(site, folder):
    previous = os.umask(0o022)
    try:
        manage(site, "backup_site", "--to", str(folder))
    finally:
        os.umask(previous)


def test_a_backup_is_private_and_a_restore_brings_back_everything_but_sign_ins(
    databases, tmp_path, purge_recorder
):
    """One backup, made once (each `manage.py` costs seconds), followed from its making to a restore
    on a new machine and one over the site it came from, whose cache in front forgets every page."""
    site_url, fresh_url = databases
    site = site_environment(tmp_path, DATABASE_URL=site_url, MEDIA_ROOT=str(tmp_path / "media"))
    session_key, before = manage(site, "shell", "-c", ADD_CONTENT + SIGN_IN + INVENTORY).splitlines()[-2:]
    before = json.loads(before)
    assert "Multiple sclerosis (revised)" in {title for _, title, _ in before["pages"]}
    assert before["articles"] and before["enquiries"] and before["media"]
    assert before["documents"] == {"documents/fees.txt": "Fees for 2026"}
    assert before["rows"]["sessions.Session"] == 1

    backup = tmp_path / "backups" / "today"
    backup_with_umask_022(site, backup)

    everything = [backup, *backup.rglob("*")]
    assert any(path.suffix == ".png" for path in everything)
    for path in everything:
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
    contents = every_byte(backup)
    assert b"A. Patient" in contents  # the backup is readable as such...
    assert session_key.encode() not in contents  # ...but holds no way in

    # On a new machine: a fresh database and empty folders of uploads. Everything comes back, but
    # nobody is signed in.
    fresh = site_environment(
        tmp_path,
        DATABASE_URL=fresh_url,
        MEDIA_ROOT=str(tmp_path / "fresh-media"),
        DOCUMENTS_ROOT=str(tmp_path / "fresh-documents"),
    )
    manage(fresh, "restore_site", "--noinput", str(backup))
    signed_out = {**before, "rows": {**before["rows"], "sessions.Session": 0}}
    assert inventory(fresh) == signed_out

    # Over the site it came from, which holds content: refused, the site left as it was...
    with pytest.raises(RuntimeError, match="already holds tables"):
        manage(site, "restore_site", "--noinput", str(backup))
    assert inventory(site) == before
    # ...unless forced; then everyone signed in before the restore signs in again, and the cache in
    # front keeps no page from before the restore.
    in_front = {**site, "FRONTEND_CACHE_HTTP_LOCATION": purge_recorder.url}
    manage(in_front, "restore_site", "--noinput", "--force", str(backup))
    assert inventory(site) == signed_out
    assert set(purge_recorder.purged) >= {
        "/",
        "/about/",
        "/conditions/",
        "/conditions/multiple-sclerosis/",
        "/articles/",
        "/articles/feed/",
        "/sitemap.xml",
        "/search/",
    }


def test_a_backup_never_overwrites_another(tmp_path):
    # In this process: the command refuses before it reads the database.
    (tmp_path / "backup").mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_site", "--to", str(tmp_path / "backup"))


def test_a_backup_of_another_kind_of_database_is_refused(tmp_path, site_database_file):
    site = site_environment(tmp_path, DATABASE_URL=f"sqlite:///{site_database_file}")
    manage(site, "backup_site", "--to", str(tmp_path / "backup"))
    manifest = tmp_path / "backup" / "backup.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "vendor": "postgresql"}))
    with pytest.raises(RuntimeError, match="This backup is of a postgresql database"):
        manage(site, "restore_site", "--noinput", str(tmp_path / "backup"))


def test_an_encrypted_backup_opens_only_with_its_key(tmp_path, site_database_file):
    import pyrage

    key = pyrage.x25519.Identity.generate()
    (tmp_path / "backup-key.txt").write_text(f"# the clinic's backup key\n{key}\n")
    shutil.copy(site_database_file, tmp_path / "site.sqlite3")
    site = site_environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        BACKUP_AGE_RECIPIENTS=str(key.to_public()),
    )
    before = inventory(site, first=ADD_CONTENT)

    manage(site, "backup_site", "--to", str(tmp_path / "backup"))
    files = {path.name: path.read_bytes() for path in (tmp_path / "backup").iterdir()}
    assert set(files) == {"backup.json", "database.sqlite3.age", "media.tar.age", "documents.tar.age"}
    for name in ("database.sqlite3.age", "media.tar.age", "documents.tar.age"):
        assert files[name].startswith(b"age-encryption.org/v1\n")
    assert b"A. Patient" not in files["database.sqlite3.age"]

    fresh = site_environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "fresh-media"),
        DOCUMENTS_ROOT=str(tmp_path / "fresh-documents"),
    )
    with pytest.raises(RuntimeError, match="This backup is encrypted"):
        manage(fresh, "restore_site", "--noinput", str(tmp_path / "backup"))
    manage(
        fresh,
        "restore_site",
        "--noinput",
        "--identity",
        str(tmp_path / "backup-key.txt"),
        str(tmp_path / "backup"),
    )
    assert inventory(fresh) == before


def test_a_backup_is_copied_to_the_bucket_when_one_is_configured(db, tmp_path, monkeypatch, settings):
    """Against moto's stand-in for S3 (in this process), through boto3 and django-storages as in
    production: every file of the backup arrives, byte for byte, and stays private."""
    import boto3
    from django.core.management import call_command
    from moto import mock_aws

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "original_images").mkdir(parents=True)
    (tmp_path / "media" / "original_images" / "entrance.png").write_bytes(b"\x89PNG entrance")
    settings.BACKUP_S3_BUCKET = "clinic-backups"
    settings.BACKUP_S3_REGION_NAME = "us-east-1"
    # boto3's own credentials, which it reads from the environment.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="clinic-backups")
        call_command("backup_site", "--to", str(tmp_path / "nightly"), stdout=io.StringIO())
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket="clinic-backups")["Contents"]]
        copied = {key: s3.get_object(Bucket="clinic-backups", Key=key)["Body"].read() for key in keys}
        grants = {key: s3.get_object_acl(Bucket="clinic-backups", Key=key)["Grants"] for key in keys}

    backup = tmp_path / "nightly"
    assert copied == {
        f"backups/nightly/{path.relative_to(backup).as_posix()}": path.read_bytes()
        for path in backup.rglob("*")
        if path.is_file()
    }
    assert "backups/nightly/media/original_images/entrance.png" in copied
    for key, key_grants in grants.items():
        assert [grant["Permission"] for grant in key_grants] == ["FULL_CONTROL"], key
