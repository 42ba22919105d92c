"""Settings for the benchmarks: the app's own production settings (DEBUG off), plus
what serving plain HTTP on 127.0.0.1 needs, and the Initiative admin changelist
that bench/list_throughput.py compares the initiative list with (bench/urls.py).

SURVEY_SUBMISSIONS_PER_MINUTE (the public survey's per-link rate limit, 30 in the
app) is read from the environment here so bench/survey_submissions.py can raise it
for its run only.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123456789")

from integration_hub.settings import *  # noqa: E402, F403
from integration_hub.settings import LOGGING, env  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "bench.urls"
SURVEY_SUBMISSIONS_PER_MINUTE = env.int("SURVEY_SUBMISSIONS_PER_MINUTE", default=30)
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
AXES_ENABLED = False  # wrk and the test client log in by session, not through the login form

# The load run (bench/load_run.py): messages are recorded, not sent, and beat sweeps
# for reminders every few seconds instead of every few minutes.
if os.environ.get("LOAD_MAIL_LOG"):
    EMAIL_BACKEND = "bench.mail.RecordingEmailBackend"
if os.environ.get("LOAD_SWEEP_SECONDS"):
    from datetime import timedelta

    from integration_hub.settings import CELERY_BEAT_SCHEDULE  # noqa: E402

    CELERY_BEAT_SCHEDULE = {
        **CELERY_BEAT_SCHEDULE,
        "evaluation-reminder-sweep": {
            "task": "evaluations.tasks.reminder_sweep",
            "schedule": timedelta(seconds=int(os.environ["LOAD_SWEEP_SECONDS"])),
        },
    }
