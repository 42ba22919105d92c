"""Paper copies of a survey: the printable questionnaire and the flyer, as HTML for the browser's
print and as PDF (WeasyPrint). Both carry the public link as a QR code and in words, and nothing
that could identify a respondent (no name line, no sheet number)."""

from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML

from assessments.models import Survey

PAPER_CSS = Path(settings.BASE_DIR) / "static" / "css" / "paper.css"
PAGE_SIZES = {"a4": "A4", "letter": "Letter"}
# The short link's code: the first characters of the survey's random token (24 bytes, url-safe
# base64), so it needs no column of its own; 10 characters are 60 random bits.
SHORT_CODE_LENGTH = 10


def short_link(survey) -> str:
    return reverse("assessments:survey_short_link", kwargs={"code": survey.token[:SHORT_CODE_LENGTH]})


def survey_for_short_code(code: str):
    """The survey whose token starts with `code` (exactly, letter case included), or None."""
    if len(code) != SHORT_CODE_LENGTH:
        return None
    # startswith is case-blind on SQLite: the exact comparison is made here.
    matches = [s for s in Survey.objects.filter(token__startswith=code)[:5] if s.token.startswith(code)]
    return matches[0] if len(matches) == 1 else None


def qr_code(url: str):
    """segno's QR code for `url` (error correction M: a crumpled flyer still scans)."""
    return segno.make(url, error="m")


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code as inline SVG markup (segno writes only path data, nothing from the caller)."""
    return mark_safe(qr_code(url).svg_inline(scale=scale, border=2, omitsize=False))  # noqa: S308


def _no_fetching(url, *args, **kwargs):
    """Everything the PDF needs is in its HTML: refuse every URL (no server-side requests)."""
    raise ValueError(f"not fetched: {url[:80]}")


def render_pdf(template: str, context: dict, language: str, page_size: str = "Letter") -> bytes:
    with translation.override(language):
        html = render_to_string(template, {**context, "pdf": True})
    styles = [
        CSS(string=PAPER_CSS.read_text(encoding="utf-8"), url_fetcher=_no_fetching),
        CSS(string=f"@page {{ size: {page_size}; }}", url_fetcher=_no_fetching),
    ]
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=styles)
