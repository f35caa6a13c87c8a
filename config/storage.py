"""Where the office keeps its files: the named storages of settings.STORAGES, read from
`STORAGE_URL`, and the storage that encrypts what it keeps.

Every file goes through Django's storage API, never a local path, so that several machines can
share one object store. Three names, one per kind of file, each with its own rules:

- ``"default"``: files without a storage of their own (uploads, letter PDFs);
- ``"exports"``: auditor exports and other large generated files;
- ``"packages"``: access packages — always encrypted by the application (AES-256-GCM), whatever
  the store below does, because a package holds a person's whole file.

Locally (the default) all three are folders under MEDIA_ROOT. With
``STORAGE_URL=s3://bucket/prefix?endpoint_url=…&region_name=…`` they are objects in one private
bucket (django-storages' S3 backend, credentials from the usual AWS_* variables), written with
server-side encryption, never with a public ACL, read back through the application or through
a presigned URL that expires in STORAGE_URL_MAX_AGE seconds.

A model field picks its storage by name with ``storage=config.storage.exports`` (or
``packages``, ``default``): a callable, so that migrations record the name, not the backend.
"""

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

ALIASES = ("default", "exports", "packages", "uploads", "letters")
FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
ENCRYPTED = "config.storage.EncryptedStorage"


def _s3_options(parts, *, url_max_age: int) -> dict:
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "endpoint_url": query.get("endpoint_url"),
        "region_name": query.get("region_name"),
        # Private objects: no ACL on upload (the bucket's own, private, applies), and every
        # URL signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": url_max_age,
        "signature_version": "s3v4",
        "file_overwrite": False,
        # Encryption at rest by the store: SSE-S3 unless the URL names a KMS key.
        "object_parameters": (
            {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": query["sse_kms_key_id"]}
            if "sse_kms_key_id" in query
            else {"ServerSideEncryption": query.get("sse", "AES256")}
        ),
    }


def _scheme(parts, setting: str) -> str:
    if parts.scheme not in ("file", "s3"):
        raise ImproperlyConfigured(f"{setting}: unknown scheme {parts.scheme!r} (file or s3)")
    return parts.scheme


def storages_from_url(
    url: str,
    *,
    static_backend: str,
    url_max_age: int = 300,
    ledger_url: str = "",
    ledger_root: str | Path | None = None,
) -> dict:
    """The STORAGES setting for a STORAGE_URL: empty or ``file://`` → MEDIA_ROOT; ``s3://`` →
    one private bucket. Names in the store carry their folder (``audit_exports/…``), so the
    storages can share one bucket or folder.

    The ledger's store (``"ledger"``) is kept apart: ``ledger_url`` when given (a bucket of its
    own, with object lock), else ``ledger_root`` on the file system, or the folder ``ledger/``
    of the bucket."""
    parts = urlsplit(url or "file://")
    if _scheme(parts, "STORAGE_URL") == "file":
        backends = {alias: {"BACKEND": FILE_SYSTEM} for alias in ALIASES}
    else:
        options = _s3_options(parts, url_max_age=url_max_age)
        backends = {alias: {"BACKEND": S3, "OPTIONS": dict(options)} for alias in ALIASES}
    backends["packages"] = {"BACKEND": ENCRYPTED, "OPTIONS": {"inner": backends["packages"]}}

    ledger_parts = urlsplit(ledger_url) if ledger_url else parts
    if _scheme(ledger_parts, "LEDGER_STORAGE_URL") == "s3":
        ledger = _s3_options(ledger_parts, url_max_age=url_max_age)
        if not ledger_url:
            ledger["location"] = "/".join(p for p in (ledger["location"], "ledger") if p)
        backends["ledger"] = {"BACKEND": S3, "OPTIONS": ledger}
    else:
        location = ledger_parts.path if ledger_url and ledger_parts.path else ledger_root
        backends["ledger"] = {"BACKEND": FILE_SYSTEM, "OPTIONS": {"location": str(location)}}
    backends["staticfiles"] = {"BACKEND": static_backend}
    return backends


# --- Encryption by the application ---------------------------------------------------------

MAGIC = b"POENC1"  # format 1: MAGIC, key id (4 bytes), nonce (12 bytes), AES-256-GCM ciphertext
KEY_ID_BYTES, NONCE_BYTES, TAG_BYTES = 4, 12, 16
OVERHEAD = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES + TAG_BYTES


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:KEY_ID_BYTES]


def _decode_key(text: str) -> bytes:
    key = base64.urlsafe_b64decode(text.strip().encode())
    if len(key) != 32:
        raise ImproperlyConfigured("FILE_ENCRYPTION_KEYS: each key is 32 bytes, URL-safe base64")
    return key


def _local_key(path: Path) -> str:
    """The embedded default's key: made on first use under var/, readable by this user only.
    Several machines must share one key instead: FILE_ENCRYPTION_KEYS in the environment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made by an earlier run, or by another process just now
        return path.read_text()
    with os.fdopen(descriptor, "w") as file:
        file.write(base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode())
    return path.read_text()


def encryption_keys() -> list[bytes]:
    """The keys, newest first: the first encrypts, any of them decrypts (so a key can be
    rotated by putting the new one in front)."""
    texts = settings.FILE_ENCRYPTION_KEYS or [_local_key(Path(settings.FILE_ENCRYPTION_KEY_FILE))]
    return [_decode_key(text) for text in texts]


def encrypt(plain: bytes, *, name: str) -> bytes:
    """AES-256-GCM under the newest key; the file's name is authenticated with it, so a file
    copied over another one's name does not decrypt."""
    key = encryption_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plain, name.encode())
    return MAGIC + _key_id(key) + nonce + sealed


def decrypt(sealed: bytes, *, name: str) -> bytes:
    if not sealed.startswith(MAGIC):
        raise SuspiciousFileOperation(f"{name}: not an encrypted file")
    key_id = sealed[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]
    nonce_at = len(MAGIC) + KEY_ID_BYTES
    for key in encryption_keys():
        if _key_id(key) == key_id:
            nonce = sealed[nonce_at : nonce_at + NONCE_BYTES]
            return AESGCM(key).decrypt(nonce, sealed[nonce_at + NONCE_BYTES :], name.encode())
    raise ImproperlyConfigured(f"{name}: encrypted under a key that is not configured")


@deconstructible(path="config.storage.EncryptedStorage")
class EncryptedStorage(Storage):
    """Another storage (``inner``: a STORAGES entry) whose files are encrypted by us before they
    leave the process and decrypted when read. A file is sealed whole (it is read into memory):
    meant for files of at most some hundreds of megabytes, such as access packages. There is no
    URL: such a file is only ever served by a view that checks who asks."""

    def __init__(self, inner: dict):
        from django.utils.module_loading import import_string

        self.inner = import_string(inner["BACKEND"])(**inner.get("OPTIONS", {}))

    def _open(self, name, mode="rb"):
        if "w" in mode:
            raise ValueError("EncryptedStorage: files are written with save()")
        with self.inner.open(name, "rb") as file:
            file = ContentFile(decrypt(file.read(), name=name), name=name)
        return file

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        return self.inner.save(name, ContentFile(encrypt(content.read(), name=name)))

    def get_available_name(self, name, max_length=None):
        return self.inner.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.inner.generate_filename(filename)

    def delete(self, name):
        self.inner.delete(name)

    def exists(self, name):
        return self.inner.exists(name)

    def listdir(self, path):
        return self.inner.listdir(path)

    def size(self, name):
        return self.inner.size(name) - OVERHEAD

    def get_modified_time(self, name):
        return self.inner.get_modified_time(name)

    def url(self, name):
        raise NotImplementedError("an encrypted file has no URL: serve it through a view")


# --- Storages by name, for model fields ----------------------------------------------------


class NamedStorage(LazyObject):
    """``storages[alias]``, looked up on first use (and again after STORAGES changes, as in a
    test), so that a model field can name its storage before the settings are read."""

    _instances: list["NamedStorage"] = []

    def __init__(self, alias: str):
        super().__init__()
        self.__dict__["alias"] = alias
        NamedStorage._instances.append(self)

    def _setup(self):
        self._wrapped = storages[self.__dict__["alias"]]


@receiver(setting_changed)
def _forget_storages(*, setting, **kwargs):
    # Django forgets its own storages when STORAGES changes (django.test.signals); ours follow.
    if setting in ("STORAGES", "MEDIA_ROOT"):
        for named in NamedStorage._instances:
            named._wrapped = empty


_DEFAULT = NamedStorage("default")
_EXPORTS = NamedStorage("exports")
_PACKAGES = NamedStorage("packages")
_UPLOADS = NamedStorage("uploads")
_LETTERS = NamedStorage("letters")


def default():
    return _DEFAULT


def exports():
    return _EXPORTS


def packages():
    return _PACKAGES


def uploads():
    return _UPLOADS


def letters():
    return _LETTERS
