"""`DovecotStack`: a mail stack whose IMAP server is Dovecot, run as a subprocess.

Owns starting and stopping Dovecot (its generated dovecot.conf, a temp dir holding maildirs and
one passwd-file per user, readiness by IMAP greeting) and delivery from the SMTP side over LMTP.
Works as root and rootless. Recipes: /work/shared/docs/mail-test-stack.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from .introspection import Introspection
from .stack import HOST, MailStack, free_port

DOVECOT = "/usr/sbin/dovecot"  # not on a non-root PATH on Debian


class DovecotStack(MailStack):
    """Dovecot (a passwd-file per user, maildir in a temp dir) fed by LMTP over a unix socket."""

    backend = "dovecot"

    def __init__(self, users: Mapping[str, str] | None = None) -> None:
        super().__init__(users)
        self._dir = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._lmtp_lock = threading.Lock()
        self._introspection: Introspection | None = None

    def _start_imap(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="mailstack-dovecot-")
        for sub in ("run", "state", "mail", "users"):
            os.mkdir(os.path.join(self._dir, sub))
        if os.geteuid() == 0:
            # auth runs as the packaged `dovecot` user and needs +x to reach users/; mail
            # processes cannot run as uid 0, so they run as nobody and own the maildirs.
            os.chmod(self._dir, 0o711)
            os.chown(os.path.join(self._dir, "mail"), 65534, 65534)
        self._introspection = Introspection(self.tokens.get)
        with open(os.path.join(self._dir, "oauth2.conf.ext"), "w") as handle:
            handle.write(_OAUTH2.format(url=self._introspection.url))
        for _attempt in range(5):
            self.imap_port = free_port()
            conf = os.path.join(self._dir, "dovecot.conf")
            with open(conf, "w") as handle:
                handle.write(_dovecot_conf(self._dir, self.imap_port))
            self._proc = _launch(conf)
            if _wait_greeting(self.imap_port, self._proc):
                return
            self._stop_imap(keep_dir=True)  # most likely the port was taken meanwhile: retry
        log = os.path.join(self._dir, "dovecot.log")
        tail = Path(log).read_text()[-300:] if os.path.exists(log) else ""
        self._stop_imap()
        raise RuntimeError(f"dovecot did not start: {tail.strip() or 'no log'}")

    def _stop_imap(self, keep_dir: bool = False) -> None:
        if self._introspection is not None and not keep_dir:
            self._introspection.stop()
            self._introspection = None
        if self._proc is not None:
            # The master alone leaves logged-in imap processes serving: stop the whole group.
            # SIGKILL, not SIGTERM: with TERM the master sometimes respawns log and anvil (they
            # died first) and then waits 6 s for them. The maildir is thrown away anyway.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            self._proc = None
        if self._dir and not keep_dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = ""

    def restart_imap(self) -> None:
        """Stop Dovecot (every session drops) and start it again on the same port and mail."""
        self._stop_imap(keep_dir=True)
        self._proc = _launch(os.path.join(self._dir, "dovecot.conf"))
        if not _wait_greeting(self.imap_port, self._proc):
            raise RuntimeError(f"dovecot did not restart on port {self.imap_port}")

    def _add_imap_user(self, address: str, password: str) -> None:
        # One passwd-file per user: Dovecot re-reads a passwd-file at most once a second, so a
        # user appended to a shared file could not log in for up to a second. A new file is
        # read on first use. (Changing a known user's password has that one-second lag.)
        path = os.path.join(self._dir, "users", address)
        with open(path + ".tmp", "w") as handle:
            handle.write(f"{address}:{{PLAIN}}{password}\n")
        os.replace(path + ".tmp", path)

    async def _deliver_async(self, address: str, raw: bytes) -> None:
        await asyncio.to_thread(self._lmtp, address, raw)

    def _lmtp(self, address: str, raw: bytes) -> None:
        # One recipient per LMTP transaction: smtplib reads one DATA reply, LMTP sends one each.
        with self._lmtp_lock, smtplib.LMTP(os.path.join(self._dir, "lmtp.sock")) as lmtp:
            lmtp.sendmail("mailstack@example.test", [address], raw)


def _launch(conf: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [DOVECOT, "-F", "-c", conf],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _dovecot_conf(d: str, port: int) -> str:
    if os.geteuid() == 0:
        user, group, uid, gid, chroot = "dovecot", "dovecot", 65534, 65534, ""
    else:  # rootless: every service runs as us, and unprivileged processes cannot chroot
        import grp
        import pwd

        uid, gid = os.getuid(), os.getgid()
        user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        chroot = "  chroot =\n"
    login_user = "dovenull" if os.geteuid() == 0 else user
    return f"""base_dir = {d}/run
state_dir = {d}/state
instance_name = mailstack-{port}
log_path = {d}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
auth_mechanisms = plain login xoauth2
disable_plaintext_auth = no
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
mail_location = maildir:{d}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users/%u
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {d}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
{chroot}}}
service lmtp {{
  unix_listener {d}/lmtp.sock {{
    mode = 0666
  }}
}}
"""


# XOAUTH2 tokens are checked by asking the stack's introspection endpoint (GET url + token).
_OAUTH2 = """introspection_mode = get
introspection_url = {url}
username_attribute = username
active_attribute = active
active_value = true
"""


def _wait_greeting(port: int, proc: subprocess.Popen[bytes], limit: float = 5.0) -> bool:
    """True once the server greets with `* OK`; an accepted TCP connection alone is not ready."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                if s.recv(64).startswith(b"* OK"):
                    return True
        except OSError:
            pass
        time.sleep(0.005)  # polling a starting subprocess, bounded by `limit`
    return False
