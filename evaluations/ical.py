"""A hand-written iCalendar (RFC 5545) feed: CRLF line endings, escaped text,
lines folded at 75 octets. All-day events, one per open review."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from integration_hub.inputs import DATE_MAX, DATE_MIN


def escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            parts.append(current.decode())
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _event(uid: str, stamp: str, day, summary: str, description: str, link: str) -> list[str]:
    """One all-day VEVENT (none for a day outside the range forms accept, saved before that rule)."""
    if not DATE_MIN <= day <= DATE_MAX:
        return []
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}@integration-hub",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{link}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def render_feed(feed, reviews, base_url: str, milestones=()) -> str:
    base = base_url.rstrip("/")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Integration Hub//Evaluation reviews//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(f'Reviews · {feed.organization.name}')}",
    ]
    for review in reviews:
        link = base + reverse("evaluations:review_detail", args=[review.pk])
        lines += _event(
            f"review-{review.pk}", stamp, review.due_date, f"Evaluation review: {review.initiative.title}",
            f"Review of {review.initiative.title}. Record it here: {link}", link,
        )  # fmt: skip
    for milestone in milestones:
        link = base + reverse("initiatives:detail", args=[milestone.initiative_id])
        lines += _event(
            f"milestone-{milestone.pk}", stamp, milestone.due_date,
            f"Milestone: {milestone.title} ({milestone.initiative.title})",
            f"Milestone of {milestone.initiative.title}: {link}", link,
        )  # fmt: skip
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
