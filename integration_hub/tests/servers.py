"""Throw-away Redis and PostgreSQL servers of a test's own, on ports of their own, to stop,
hang and restart mid-test (never the shared ones on 6379 and 5432)."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, *, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class OwnRedis:
    def __init__(self, directory: Path):
        if not shutil.which("redis-server"):
            pytest.skip("needs redis-server")
        self.directory, self.port, self.process = directory, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)

    def stop(self) -> None:
        """SHUTDOWN NOSAVE's effect, without asking a client: the process is gone at once."""
        self.process.kill()
        self.process.wait(10)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)  # connections open, nothing answers

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.stop()


class OwnPostgres:
    """initdb into a temporary directory, run as the postgres user when the tests run as root."""

    def __init__(self, directory: Path):
        if not (PG_BIN / "initdb").exists():
            pytest.skip("needs PostgreSQL 15's server binaries")
        self.directory, self.port = directory, free_port()
        self.data = directory / "data"
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(directory, "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, *args) -> None:
        # No pipes: the server pg_ctl leaves running would hold them open, and run() wait forever.
        subprocess.run(
            [*self.prefix, *map(str, args)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.directory / "log", "-w", "start")

    def restart(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.directory / "log", "-m", "fast", "-w", "restart")

    def close(self) -> None:
        subprocess.run(
            [*self.prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@contextmanager
def _running(server_class):
    """A server of our own in a temporary directory, stopped and removed afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        server = server_class(Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.close()


@pytest.fixture
def own_redis():
    with _running(OwnRedis) as server:
        yield server


@pytest.fixture
def own_postgres():
    with _running(OwnPostgres) as server:
        yield server
