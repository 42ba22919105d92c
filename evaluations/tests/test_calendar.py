"""The calendar page (any member) and the secret-token iCalendar feed (no login)."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from evaluations import ical
from evaluations.models import CalendarFeed
from evaluations.tests.factories import EvaluationReviewFactory, InitiativeFactory, ReviewScheduleFactory
from integration_hub.mail import site_host
from integration_hub.models import Membership


def parse_ics(text: str) -> list[dict]:
    """A strict little parser: CRLF lines, unfolding, BEGIN/END nesting, escapes."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current, stack = [], None, []
    for line in lines:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[^;:]+)*", name), line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
        elif current is not None:
            current[name.split(";")[0]] = re.sub(r"\\([\\;,])", r"\1", value).replace("\\n", "\n")
    assert stack == []
    return events


@pytest.fixture
def reviews(organization, other_organization, editor_user, outsider):
    today = timezone.localdate()
    mine = ReviewScheduleFactory(
        initiative=InitiativeFactory(organization=organization, title="Civic nights; Q&A, too")
    )
    mine.reviewers.set([editor_user])
    theirs = ReviewScheduleFactory(organization=other_organization)
    theirs.reviewers.set([outsider])
    return {
        "mine": EvaluationReviewFactory(schedule=mine, due_date=today + dt.timedelta(days=10)),
        "held": EvaluationReviewFactory(schedule=mine, due_date=today + dt.timedelta(days=20), held_on=today),
        "not_mine": EvaluationReviewFactory(organization=organization, due_date=today + dt.timedelta(days=5)),
        "theirs": EvaluationReviewFactory(schedule=theirs, due_date=today + dt.timedelta(days=10)),
    }


def _make_feed(client):
    response = client.post(reverse("evaluations:calendar"))
    return re.search(r'value="(http[^"]+\.ics)"', response.content.decode()).group(1)


def test_feed_lists_only_the_members_own_upcoming_reviews_and_parses(client_as, client, reviews):
    url = _make_feed(client_as("editor"))
    response = client.get(url)  # anonymous: the token is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = parse_ics(response.content.decode())
    assert [e["UID"] for e in events] == [f"review-{reviews['mine'].pk}@{site_host()}"]
    assert events[0]["SUMMARY"] == "Evaluation review: Civic nights; Q&A, too"
    assert events[0]["DTSTART"] == reviews["mine"].due_date.strftime("%Y%m%d")


def test_another_members_token_never_shows_this_members_reviews(client_as, client, reviews):
    their_url = _make_feed(client_as("outsider"))
    events = parse_ics(client.get(their_url).content.decode())
    assert [e["UID"] for e in events] == [f"review-{reviews['theirs'].pk}@{site_host()}"]


def test_an_unknown_or_reset_token_answers_404(client_as, client, reviews):
    editor = client_as("editor")
    old = _make_feed(editor)
    new = _make_feed(editor)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get(reverse("evaluations:calendar_feed", args=["nope"])).status_code == 404
    assert CalendarFeed.objects.count() == 1  # only the hash of the newest token is kept
    assert new.rsplit("/", 1)[1].removesuffix(".ics") not in CalendarFeed.objects.get().token_hash


def test_a_member_who_left_gets_an_empty_feed(client_as, client, reviews, editor_user, organization):
    url = _make_feed(client_as("editor"))
    Membership.objects.filter(user=editor_user, organization=organization).delete()
    assert parse_ics(client.get(url).content.decode()) == []


def test_board_members_may_make_their_own_feed(client_as, reviews):
    response = client_as("board").post(reverse("evaluations:calendar"))
    assert response.status_code == 200 and ".ics" in response.content.decode()


def test_calendar_page_needs_a_login(client):
    response = client.get(reverse("evaluations:calendar"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_network_viewers_have_no_feed_in_an_affiliate(client_as, reviews):
    assert client_as("network").get(reverse("evaluations:calendar")).status_code == 404


def test_long_lines_are_folded_without_splitting_characters():
    line = "SUMMARY:" + "Évaluation " * 20
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_feed_lists_milestones_of_initiatives_the_member_leads_or_has_tasks_in(
    client_as, client, reviews, organization, other_organization, editor_user, outsider
):
    from initiatives.models import Initiative, Milestone, Task

    today = timezone.localdate()
    led = Initiative.objects.create(organization=organization, title="City ID", lead=editor_user)
    Milestone.objects.create(initiative=led, title="Banks sign on", due_date=today + dt.timedelta(days=3))
    Milestone.objects.create(initiative=led, title="Already past", due_date=today - dt.timedelta(days=3))
    other = Initiative.objects.create(organization=organization, title="Day of kindness")
    tasked = Milestone.objects.create(initiative=other, title="Permits", due_date=today + dt.timedelta(days=8))
    Task.objects.create(milestone=tasked, title="File", owner=editor_user, due_date=today + dt.timedelta(days=7))
    Milestone.objects.create(initiative=other, title="Not mine", due_date=today + dt.timedelta(days=9))
    theirs = Initiative.objects.create(organization=other_organization, title="Theirs", lead=outsider)
    Milestone.objects.create(initiative=theirs, title="Their milestone", due_date=today + dt.timedelta(days=2))

    events = parse_ics(client.get(_make_feed(client_as("editor"))).content.decode())

    summaries = [e["SUMMARY"] for e in events if e["UID"].startswith("milestone-")]
    assert summaries == ["Milestone: Banks sign on (City ID)", "Milestone: Permits (Day of kindness)"]


def _later(**delta):
    """The clock moved on (what History and the feed stamp read)."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(**delta))


@override_settings(SITE_URL="https://hub.riverside.example")
def test_an_unchanged_feed_is_byte_identical_and_answers_304(client_as, client, reviews):
    url = _make_feed(client_as("editor"))
    first = client.get(url)
    events = parse_ics(first.content.decode())
    assert events[0]["UID"] == f"review-{reviews['mine'].pk}@hub.riverside.example"
    assert events[0]["SEQUENCE"] == "0" and events[0]["DTSTAMP"] == events[0]["LAST-MODIFIED"]
    with _later(minutes=7):
        again = client.get(url)
    assert again.content == first.content  # DTSTAMP no longer changes on every fetch
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    not_modified = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_changed_review_gets_a_new_sequence_stamp_and_etag(client_as, client, reviews):
    url = _make_feed(client_as("editor"))
    first = client.get(url)
    before = parse_ics(first.content.decode())[0]
    review = reviews["mine"]
    with _later(hours=2):
        review.due_date += dt.timedelta(days=1)
        review.save()  # History records the change
        changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    after = parse_ics(changed.content.decode())[0]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTAMP"] > before["DTSTAMP"] and after["LAST-MODIFIED"] == after["DTSTAMP"]
    assert changed["ETag"] != first["ETag"]
    assert parse_http_date(changed["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    # A review held since drops out: the feed changed, so If-Modified-Since no longer matches.
    with _later(hours=4):
        review.held_on = timezone.localdate()
        review.save()
        emptied = client.get(url, HTTP_IF_MODIFIED_SINCE=changed["Last-Modified"])
    assert emptied.status_code == 200 and parse_ics(emptied.content.decode()) == []


def test_the_feed_is_in_the_members_language(client_as, client, reviews, editor_user):
    url = _make_feed(client_as("editor"))
    editor_user.language = "es"
    editor_user.save()
    text = client.get(url).content.decode()
    events = parse_ics(text)
    assert events[0]["SUMMARY"] == "Revisión de evaluación: Civic nights; Q&A, too"
    assert "X-WR-CALNAME:Revisiones · Riverside Immigrant Services" in text.replace("\r\n ", "")
