"""Reading one mail that came in to the privacy mailbox: pure functions, bytes in, a `Mail` out.

What the desk needs of a mail: who sent it, its Message-ID (the key that takes it in once), the
request reference in its subject or the letter it answers (In-Reply-To), its text, its
attachments, and — for a bounce, a delivery status notification (RFC 3464) — which of our letters
failed, to whom, and why. No database here: `services/inbound.py` decides what to do with it.
"""

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from django.utils.html import strip_tags

REFERENCE = re.compile(r"\bAVG-\d{4}-\d{5}\b", re.IGNORECASE)
MAX_BODY_CHARS = 20_000


@dataclass
class Attachment:
    filename: str
    content_type: str
    payload: bytes


@dataclass
class Bounce:
    """A delivery status notification: the recipient, the original letter's Message-ID (when the
    report returned its headers), and whether delivery finally failed (not merely delayed)."""

    recipient: str
    original_message_id: str
    failed: bool
    diagnostic: str


@dataclass
class Mail:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    body: str
    sent_at: object  # datetime | None
    in_reply_to: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    bounce: Bounce | None = None

    @property
    def reference(self) -> str:
        """The first request reference in the subject (AVG-2026-00042), upper-cased, or ""."""
        found = REFERENCE.search(self.subject)
        return found.group(0).upper() if found else ""


def _message_ids(value: str | None) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _text_of(message: Message) -> str:
    """The mail's own text: its first text/plain part, else its HTML without the tags."""
    plain = html = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part.get_content()
        elif kind == "text/html" and html is None:
            html = strip_tags(part.get_content())
    return (plain if plain is not None else html or "").strip()[:MAX_BODY_CHARS]


def _attachments(message: Message) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type().startswith("message/"):
            continue
        filename = part.get_filename()
        if part.get_content_disposition() != "attachment" and not filename:
            continue
        payload = part.get_payload(decode=True) or b""
        found.append(Attachment(filename or "bijlage", part.get_content_type(), payload))
    return found


def _bounce(message: Message) -> Bounce | None:
    """The delivery status report of a DSN (multipart/report; report-type=delivery-status)."""
    if message.get_content_type() != "multipart/report":
        return None
    if (message.get_param("report-type") or "").lower() != "delivery-status":
        return None
    recipient = action = diagnostic = original = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            # Its payload is the per-message block, then one block per recipient.
            for block in part.get_payload():
                for name, value in block.items():
                    name = name.lower()
                    value = str(value).strip()
                    if name == "final-recipient" and not recipient:
                        recipient = value.split(";", 1)[-1].strip()
                    elif name == "action" and not action:
                        action = value.lower()
                    elif name == "diagnostic-code" and not diagnostic:
                        diagnostic = value.split(";", 1)[-1].strip()
        elif kind == "message/rfc822" and not original:
            returned = part.get_payload()[0]
            original = (_message_ids(returned.get("Message-ID")) or [""])[0]
        elif kind == "text/rfc822-headers" and not original:
            headers = BytesHeaderParser().parsebytes(part.get_payload(decode=True) or b"")
            original = (_message_ids(headers.get("Message-ID")) or [""])[0]
    return Bounce(recipient.lower(), original, action == "failed", diagnostic[:500])


def mail_parse(raw: bytes) -> Mail:
    """Read a mail as it came from the mailbox (RFC 5322 bytes)."""
    message: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    # A mail without a Message-ID still comes in once: its key is then its content's hash.
    message_id = (_message_ids(message.get("Message-ID")) or [""])[0]
    if not message_id:
        message_id = f"<{hashlib.sha256(raw).hexdigest()}@geen-message-id>"
    name, address = (getaddresses([str(message.get("From", ""))]) or [("", "")])[0]
    try:
        sent_at = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = None  # a date without a zone says nothing certain
    bounce = _bounce(message)
    return Mail(
        message_id=message_id[:250],
        from_address=address.strip().lower()[:254],
        from_name=name.strip()[:200],
        subject=str(message.get("Subject", "")).strip()[:300],
        body=_text_of(message),
        sent_at=sent_at,
        in_reply_to=_message_ids(message.get("In-Reply-To"))
        + _message_ids(message.get("References")),
        attachments=[] if bounce else _attachments(message),
        bounce=bounce,
    )


# The first bytes of each kind of file we keep: the declared type must be the real one.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def content_matches(content_type: str, payload: bytes) -> bool:
    """Whether the file is what its type says (by its first bytes; text must be UTF-8 text)."""
    if content_type in SIGNATURES:
        return payload.startswith(SIGNATURES[content_type])
    if content_type == "text/plain":
        if b"\x00" in payload:
            return False
        try:
            payload.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False
