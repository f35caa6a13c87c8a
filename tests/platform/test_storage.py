"""Every file through the named storages (config/storage.py): access packages are encrypted by
the application wherever they are kept; in the S3 server (moto, started by the test) every
object is private and encrypted at rest, downloads go through the application, and a signed
URL expires."""

import base64
import hashlib
import io
import os
import stat
import urllib.error
import urllib.request
import zipfile

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

import config.storage
from audit_exports.services import export_start
from config.storage import MAGIC, decrypt, encrypt, storages_from_url
from consents import anchor
from subject_rights.services import package_build
from subject_rights.tokens import package_token
from tests.audit_exports.conftest import HISTORY
from tests.subject_rights.conftest import verified


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — the test's server
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, b""


STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def in_s3(settings, s3_server):
    """This test's files in a bucket of its own on the S3 server, whatever TEST_STORAGE says."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = storages_from_url(
        s3_server.storage_url(bucket, prefix="office"), static_backend=STATIC, url_max_age=60
    )
    return s3_server.client(), bucket


def test_a_storage_url_names_the_backend_of_every_storage():
    local = storages_from_url("file://", static_backend=STATIC)
    assert local["default"]["BACKEND"] == local["exports"]["BACKEND"] == config.storage.FILE_SYSTEM
    assert local["packages"]["BACKEND"] == config.storage.ENCRYPTED
    s3 = storages_from_url("s3://archive/po?region_name=eu-central-1", static_backend=STATIC)
    options = s3["exports"]["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["region_name"]) == (
        "archive",
        "po",
        "eu-central-1",
    )
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert s3["packages"]["OPTIONS"]["inner"]["BACKEND"] == config.storage.S3
    assert s3["uploads"]["OPTIONS"]["location"] == s3["letters"]["OPTIONS"]["location"] == "po"
    assert s3["ledger"]["OPTIONS"]["location"] == "po/ledger"  # apart from the office's files
    own = storages_from_url(
        "s3://archive/po", static_backend=STATIC, ledger_url="s3://worm-ledger/office"
    )
    assert own["ledger"]["OPTIONS"]["bucket_name"] == "worm-ledger"
    assert own["ledger"]["OPTIONS"]["location"] == "office"
    on_disk = storages_from_url("file://", static_backend=STATIC, ledger_root="/srv/ledger")
    assert on_disk["ledger"] == {
        "BACKEND": config.storage.FILE_SYSTEM,
        "OPTIONS": {"location": "/srv/ledger"},
    }
    with pytest.raises(ImproperlyConfigured):
        storages_from_url("ftp://files", static_backend=STATIC)


def test_the_embedded_key_is_made_once_and_readable_by_its_owner_only(settings, tmp_path):
    settings.FILE_ENCRYPTION_KEY_FILE = tmp_path / "var" / "key"
    sealed = encrypt(b"inhoud", name="a.zip")
    assert stat.S_IMODE(os.stat(settings.FILE_ENCRYPTION_KEY_FILE).st_mode) == 0o600
    assert decrypt(sealed, name="a.zip") == b"inhoud"  # the same key, read back


def test_a_file_moved_to_another_name_or_read_with_another_key_does_not_open(settings):
    settings.FILE_ENCRYPTION_KEYS = [new_key()]
    sealed = encrypt(b"inhoud", name="a.zip")
    with pytest.raises(InvalidTag):
        decrypt(sealed, name="b.zip")
    settings.FILE_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(ImproperlyConfigured):
        decrypt(sealed, name="a.zip")


def test_a_new_key_in_front_still_reads_files_sealed_under_the_old_one(settings):
    old, new = new_key(), new_key()
    settings.FILE_ENCRYPTION_KEYS = [old]
    sealed = encrypt(b"inhoud", name="a.zip")
    settings.FILE_ENCRYPTION_KEYS = [new, old]
    assert decrypt(sealed, name="a.zip") == b"inhoud"
    new_id = hashlib.sha256(base64.urlsafe_b64decode(new)).digest()[:4]
    assert encrypt(b"x", name="a.zip")[len(MAGIC) : len(MAGIC) + 4] == new_id


@pytest.mark.django_db
def test_an_access_package_on_disk_is_encrypted_and_reads_back_as_its_zip(register, settings):
    settings.STORAGES = storages_from_url("file://", static_backend=STATIC)
    package = package_build(request=verified("access"))
    on_disk = (settings.MEDIA_ROOT / package.file.name).read_bytes()
    assert on_disk.startswith(MAGIC) and b"samenvatting" not in on_disk
    with package.file.open("rb") as file:
        plain = file.read()
    assert hashlib.sha256(plain).hexdigest() == package.sha256
    assert "samenvatting.txt" in zipfile.ZipFile(io.BytesIO(plain)).namelist()
    assert package.file.size == package.size_bytes


@pytest.mark.django_db
def test_in_s3_a_package_is_private_and_encrypted_twice_and_downloads_through_the_site(
    register, in_s3, client
):
    s3, bucket = in_s3
    package = package_build(request=verified("access"))
    key = f"office/{package.file.name}"
    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"  # at rest, by the store
    stored = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert stored.startswith(MAGIC) and b"samenvatting" not in stored  # and by us
    grants = (
        s3.get_bucket_acl(Bucket=bucket)["Grants"]
        + s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    )
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no public
    assert http_get(f"{s3.meta.endpoint_url}/{bucket}/{key}")[0] == 403
    with pytest.raises(NotImplementedError):
        package.file.url  # noqa: B018 — an encrypted package has no link to the store
    response = client.post(f"/privacy/inzage/{package_token(package)}/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and hashlib.sha256(body).hexdigest() == package.sha256


@pytest.mark.django_db
def test_in_s3_an_export_is_encrypted_at_rest_offered_by_the_site_and_signed_links_expire(
    in_s3, client_as, auditor
):
    s3, bucket = in_s3
    job = export_start(by=auditor, tables=[HISTORY], fmt="csv")
    key = f"office/{job.file}"
    assert s3.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "AES256"
    download = client_as("auditor").get(f"/admin/audit_exports/exportjob/{job.pk}/download/")
    body = b"".join(download.streaming_content)
    assert download.status_code == 200 and hashlib.sha256(body).hexdigest() == job.sha256
    signed = config.storage.exports().url(job.file)
    assert "X-Amz-Expires=60" in signed and "X-Amz-Signature=" in signed
    assert http_get(signed) == (200, body)
    assert http_get(signed.split("?")[0])[0] == 403  # unsigned


@pytest.mark.django_db
def test_another_app_keeps_a_file_through_a_named_storage(in_s3):
    """How uploads and letter PDFs go through storage: `config.storage.default()` (or a
    FileField with storage=config.storage.default); the store can be any machine's."""
    s3, bucket = in_s3
    for storage, name in [
        (config.storage.default(), "brieven/brief.pdf"),
        (config.storage.uploads(), "requests_desk/uploads/taken.csv"),
        (config.storage.letters(), "requests_desk/letters/brief.pdf"),
    ]:
        name = storage.save(name, ContentFile(b"%PDF-1.7"))
        head = s3.head_object(Bucket=bucket, Key=f"office/{name}")
        assert head["ServerSideEncryption"] == "AES256"
        assert s3.get_object(Bucket=bucket, Key=f"office/{name}")["Body"].read() == b"%PDF-1.7"
        storage.delete(name)
        assert not storage.exists(name)


@pytest.mark.django_db
def test_in_s3_the_ledger_keeps_its_checkpoints_and_erasures_in_a_folder_of_its_own(in_s3):
    s3, bucket = in_s3
    name = anchor.erasure_write(email_hash="ab" * 32, erased_at="2026-12-01T10:00:00Z")
    anchor.erasure_write(email_hash="ab" * 32, erased_at="2026-12-01T10:00:00Z")  # left as it is
    assert s3.head_object(Bucket=bucket, Key=f"office/ledger/{name}")["ServerSideEncryption"]
    assert anchor.erasures_read() == [
        {"email_hash": "ab" * 32, "erased_at": "2026-12-01T10:00:00Z"}
    ]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"office/ledger/{name}"]
