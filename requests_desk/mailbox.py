"""The job that reads the privacy mailbox (info@…) over IMAP and takes each new mail in.

Unread mails of the folder are fetched without marking them (BODY.PEEK), taken in one by one
(`services.mail_take_in`, once per Message-ID: a unique constraint), and only then marked \\Seen.
A mail whose take-in failed stays unread and is tried at the next poll; two polls at once (two
workers, or beat and a manual run) take every mail in once.
"""

import logging

from django.conf import settings
from imapclient import IMAPClient

from requests_desk import services

log = logging.getLogger(__name__)
BATCH = 50


def mailbox_connect() -> IMAPClient:
    """A logged-in IMAP connection to the configured mailbox, with its folder selected."""
    client = IMAPClient(
        settings.DESK_IMAP_HOST,
        port=settings.DESK_IMAP_PORT,
        ssl=settings.DESK_IMAP_SSL,
        timeout=60,
    )
    client.login(settings.DESK_IMAP_USER, settings.DESK_IMAP_PASSWORD)
    client.select_folder(settings.DESK_IMAP_FOLDER)
    return client


def mailbox_poll(*, limit: int = 500) -> int:
    """Take in the unread mails of the mailbox (at most `limit` per run); how many were new."""
    if not settings.DESK_IMAP_HOST:
        return 0
    taken = 0
    with mailbox_connect() as client:
        uids = sorted(client.search(["UNSEEN"]))[:limit]
        for start in range(0, len(uids), BATCH):
            batch = uids[start : start + BATCH]
            done = []
            for uid, data in client.fetch(batch, ["BODY.PEEK[]"]).items():
                raw = data.get(b"BODY[]")
                if raw is None:
                    continue
                try:
                    inbound = services.mail_take_in(raw=raw)
                except Exception:  # noqa: BLE001 — one bad mail must not stop the others
                    log.exception("mail with IMAP uid %s not taken in; tried again later", uid)
                    continue
                taken += inbound is not None
                done.append(uid)
            if done:
                client.add_flags(done, [b"\\Seen"])
    return taken
