"""A hand-written iCalendar (RFC 5545) feed: CRLF line endings, escaped text,
lines folded at 75 octets. All-day events, one per open review."""

from datetime import UTC, timedelta

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from integration_hub.inputs import DATE_MAX, DATE_MIN
from integration_hub.mail import site_host


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


def stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def with_changes(queryset):
    """Annotate each row with when it last changed and how many times (from its History rows),
    so an event's DTSTAMP, LAST-MODIFIED and SEQUENCE stay the same until the row changes."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk"))
    last = history.order_by("-history_date").values("history_date")[:1]
    count = history.order_by().values("id").annotate(n=Count("pk")).values("n")[:1]
    return queryset.annotate(last_change=Subquery(last), change_count=Subquery(count))


def _changed(row) -> tuple:
    """(last change, sequence) of an event's row, counting a change of its initiative (its
    title is in the summary) too."""
    initiative = row.initiative
    moments = [m for m in (getattr(row, "last_change", None), initiative.updated_at) if m]
    sequence = max((getattr(row, "change_count", None) or 1) - 1, 0)
    return max(moments) if moments else initiative.created_at, sequence


def _event(uid: str, row, day, summary: str, description: str, link: str) -> list[str]:
    """One all-day VEVENT (none for a day outside the range forms accept, saved before that rule)."""
    if not DATE_MIN <= day <= DATE_MAX:
        return []
    changed, sequence = _changed(row)
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}@{site_host()}",
        f"DTSTAMP:{stamp(changed)}",
        f"LAST-MODIFIED:{stamp(changed)}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{link}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def render_feed(feed, reviews, base_url: str, milestones=()) -> str:
    """The feed in the active language (the view chooses the member's)."""
    base = base_url.rstrip("/")
    name = _("Reviews · %(org)s") % {"org": feed.organization.name}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Integration Hub//Evaluation reviews//{translation.get_language().upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape(name),
    ]
    for review in reviews:
        link = base + reverse("evaluations:review_detail", args=[review.pk])
        title = review.initiative.title
        lines += _event(
            f"review-{review.pk}", review, review.due_date,
            _("Evaluation review: %(title)s") % {"title": title},
            _("Review of %(title)s. Record it here: %(link)s") % {"title": title, "link": link}, link,
        )  # fmt: skip
    for milestone in milestones:
        link = base + reverse("initiatives:detail", args=[milestone.initiative_id])
        names = {"milestone": milestone.title, "title": milestone.initiative.title, "link": link}
        lines += _event(
            f"milestone-{milestone.pk}", milestone, milestone.due_date,
            _("Milestone: %(milestone)s (%(title)s)") % names, _("Milestone of %(title)s: %(link)s") % names, link,
        )  # fmt: skip
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
