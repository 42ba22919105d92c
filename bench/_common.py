"""Shared helpers for the bench scripts: Django set-up, tables, timing, gunicorn and wrk.

Every script is run from the repository root, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/dashboard_time.py
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    """Configure Django with bench.settings (DEBUG off, production storage)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    _collect_static()


def _collect_static() -> None:
    """Pages with DEBUG off read the static manifest, as in production."""
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def print_table(title: str, headers: list[str], rows: list[list]) -> None:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    print(f"\n{title}")
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(cells[0], widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(
            "| "
            + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths, strict=True))
            + " |"
        )
    sys.stdout.flush()


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]*\.?\d+(ms|s|×|%)?", text))


def machine_note() -> str:
    """Other work on the machine skews timings; every table says how busy it was."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values_ms: list[float]) -> tuple[float, float]:
    return statistics.median(values_ms), percentile(values_ms, 0.95)


def time_calls(fn, n: int, warmup: int = 3, before=None) -> list[float]:
    """Run fn n times after a warm-up; milliseconds per call. `before` runs ahead of each
    call, outside the timing (e.g. to empty a cache)."""
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(n):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def logged_in_client(user, organization=None):
    """A test client logged in as `user`, working in `organization`."""
    from django.test import Client

    from integration_hub.middleware import SESSION_KEY

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if organization is not None:
        session = client.session
        session[SESSION_KEY] = organization.pk
        session.save()
    return client


def session_cookie(user, organization=None) -> str:
    """`sessionid=...` for a real HTTP client (wrk), stored in the session table."""
    from django.conf import settings

    client = logged_in_client(user, organization)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# --- gunicorn and wrk ---------------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def gunicorn(
    port: int,
    workers: int = 2,
    env: dict | None = None,
    timeout: float = 30,
    worker_class: str = "sync",
    threads: int = 1,
):
    """Serve the app with gunicorn on 127.0.0.1:port (bench settings); stopped on exit."""
    if _port_open(port):
        raise SystemExit(f"Port {port} is already in use on 127.0.0.1.")
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    command = [
        sys.executable, "-m", "gunicorn", "integration_hub.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
        "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "--error-logfile", str(log), "--timeout", "60",
    ]  # fmt: skip
    process_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT), **(env or {})}
    process = subprocess.Popen(command, cwd=ROOT, env=process_env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not _port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fetch(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, bytes]:
    """One request without following redirects: (status, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("Requests go to 127.0.0.1 only.")
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - checked above
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def warm(url: str, headers: dict | None = None, n: int = 20) -> None:
    for _ in range(n):
        fetch(url, headers)


def wrk(url: str, *, seconds: int, connections: int, threads: int = 1, headers=(), script: str | None = None) -> dict:
    """Run wrk (bounded by --duration) against a loopback URL and parse its report."""
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("Load goes to 127.0.0.1 only.")
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    command = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    with tempfile.TemporaryDirectory() as folder:
        if script:
            lua = Path(folder) / "script.lua"
            lua.write_text(script)
            command += ["-s", str(lua)]
        command.append(url)
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    return parse_wrk(output)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> dict:
    def find(pattern, default="0"):
        match = re.search(pattern, output)
        return match.group(1) if match else default

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(find(r"(\d+) requests in")),
        "rps": float(find(r"Requests/sec:\s+([\d.]+)")),
        "p50_ms": _ms(find(r"50%\s+([\d.]+\w+)", "0ms")),
        "p99_ms": _ms(find(r"99%\s+([\d.]+\w+)", "0ms")),
        "non_2xx_3xx": int(find(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        "raw": output,
    }
