"""A hand-written iCalendar (RFC 5545) feed: CRLF line endings, escaped text,
lines folded at 75 octets. All-day events, one per open review."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone


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
        lines += [
            "BEGIN:VEVENT",
            f"UID:review-{review.pk}@integration-hub",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{review.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{review.due_date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(f'Evaluation review: {review.initiative.title}')}",
            f"DESCRIPTION:{escape(f'Review of {review.initiative.title}. Record it here: {link}')}",
            f"URL:{link}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    for milestone in milestones:
        link = base + reverse("initiatives:detail", args=[milestone.initiative_id])
        lines += [
            "BEGIN:VEVENT",
            f"UID:milestone-{milestone.pk}@integration-hub",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{milestone.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{milestone.due_date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(f'Milestone: {milestone.title} ({milestone.initiative.title})')}",
            f"DESCRIPTION:{escape(f'Milestone of {milestone.initiative.title}: {link}')}",
            f"URL:{link}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
