"""Project-level guarantees: deploy checks, migrations, demo data, Celery."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from integration_hub.models import Membership, Organization
from integration_hub.tasks import health_check

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "hub.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _session_engine(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SESSION_STORE")}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'sessions.sqlite3'}", **variables}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "integration_hub.settings"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_sessions_are_in_the_database_unless_cached_db_is_chosen_with_redis(tmp_path):
    """Every web host must see the same sessions: db by default, cached_db (Redis in front)
    only with a shared Redis, never a per-process cache or an unknown store."""
    assert _session_engine(tmp_path).stdout.strip() == "django.contrib.sessions.backends.db"
    chosen = _session_engine(tmp_path, SESSION_STORE="cached_db", REDIS_URL="redis://127.0.0.1:6379/15")
    assert chosen.stdout.strip() == "django.contrib.sessions.backends.cached_db", chosen.stderr
    for refused in ({"SESSION_STORE": "cached_db"}, {"SESSION_STORE": "cache", "REDIS_URL": "redis://x:6379/1"}):
        result = _session_engine(tmp_path, **refused)
        assert result.returncode != 0
        assert "SESSION_STORE is db or cached_db" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Organization.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Organization.objects.count(), Membership.objects.count()) == counts == (3, 6)
    assert "staff@riverside.example" in out.getvalue()
    assert "password for every demo login" in out.getvalue()


@pytest.mark.django_db
def test_health_task_runs_eagerly_without_redis():
    assert health_check.delay().get(timeout=5) == {"status": "ok", "database": True}


def test_collectstatic_with_the_production_storage_finds_every_file_a_stylesheet_or_script_names(tmp_path, settings):
    """The manifest storage fails the deploy when a vendored file points at one that is not there
    (a source map, a font): run it as production does."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/tom-select/tom-select.complete.min.*.js"))
