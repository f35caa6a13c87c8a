"""Where a person's traces could hide: every text column of every table (the admin's
`django_admin_log` and the history tables included), and every file in the storage folders
(media, the systems' uploads, the ledger's store), ZIP archives opened."""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection


def find_everywhere(*needles: str) -> list[tuple[str, str]]:
    """Every (table, value) in the whole database whose text holds one of the needles."""
    needles = [n.lower() for n in needles if n]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    text = str(value).lower() if value is not None else ""
                    if any(n in text for n in needles):
                        found.append((table, str(value)[:80]))
    return found


def storage_folders() -> list[Path]:
    folders = [Path(settings.MEDIA_ROOT)]
    for alias in ("uploads", "ledger"):
        location = settings.STORAGES.get(alias, {}).get("OPTIONS", {}).get("location")
        if location:
            folders.append(Path(location))
    return folders


def _texts(path: Path):
    content = path.read_bytes()
    yield str(path), content
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                yield f"{path}!{name}", archive.read(name)


def find_in_folders(*needles: str) -> list[str]:
    """Every file (or member of a ZIP) in the storage folders that holds one of the needles."""
    needles = [n.lower().encode() for n in needles if n]
    found = []
    for folder in storage_folders():
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if path.is_file():
                for name, content in _texts(path):
                    if any(n in content.lower() for n in needles):
                        found.append(name)
    return found
