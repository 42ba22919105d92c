"""An email backend for the load run (bench/load_run.py): records every message it
is asked to send as one JSON line in LOAD_MAIL_LOG, so the run can prove that each
reminder went out exactly once. Nothing leaves the machine.

One `write` per line on a file opened for appending: lines from several worker
processes never interleave (each is far below the pipe/atomic-append size).
"""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class RecordingEmailBackend(BaseEmailBackend):
    def open(self):
        """LOAD_MAIL_CONNECT_SECONDS: connecting takes this long, as to a real mail server
        (bench/cluster.py, so that a worker it kills is likely to be in the middle of a send)."""
        time.sleep(float(os.environ.get("LOAD_MAIL_CONNECT_SECONDS") or 0))
        return False

    def send_messages(self, email_messages):
        path = os.environ["LOAD_MAIL_LOG"]
        lines = "".join(
            json.dumps({"message_id": m.extra_headers.get("Message-ID", ""), "to": m.to, "pid": os.getpid()}) + "\n"
            for m in email_messages
        )
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, lines.encode())
        finally:
            os.close(fd)
        return len(email_messages)
