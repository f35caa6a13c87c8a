"""Real mail servers for the mailbox tests: Debian's Dovecot (IMAP), run in the foreground with a
configuration this module writes into a temporary folder, on a free port; and an SMTP sink
(aiosmtpd) in a thread that keeps what our outbox sends."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

DOVECOT = "/usr/sbin/dovecot"
MAILBOX_USER = "privacy@rezulto.test"
MAILBOX_PASSWORD = "mailbox-test-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)  # the server is starting; polling its port, not a fixed wait
    raise RuntimeError("dovecot did not open its port")


CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
"""


@contextmanager
def dovecot():
    """A running Dovecot with one mailbox; yields (host, port, user, password)."""
    root = Path(tempfile.mkdtemp(prefix="po-dovecot-"))
    root.chmod(0o755)  # the mail user (nobody) must reach its folder
    nobody = pwd.getpwnam("nobody")
    (root / "mail").mkdir()
    os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
    (root / "passwd").write_text(f"{MAILBOX_USER}:{{PLAIN}}{MAILBOX_PASSWORD}::::::\n")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, uid=nobody.pw_uid, gid=nobody.pw_gid))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for(port, process, root / "dovecot.log")
        yield ("127.0.0.1", port, MAILBOX_USER, MAILBOX_PASSWORD)
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def imap_server():
    if not Path(DOVECOT).exists():
        pytest.skip("Debian's dovecot-imapd is not installed (apt-get install dovecot-imapd)")
    with dovecot() as server:
        yield server


class Sink:
    """Keeps every message the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server in a thread; the outbox sends to it. Yields its list of messages."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink.messages
    finally:
        controller.stop()
