"""seed_scale at tiny sizes: counts, model rules, idempotence; and the query-count check
of bench/query_counts.py (the one benchmark CI runs: it is fast and has no timings)."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Answer, Choice, Consultation, Need, NeedsAssessment, Question, Response, Survey
from evaluations.management.commands.seed_scale import tag_organizations, tag_users
from evaluations.models import EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule
from initiatives.models import Activity, BudgetLine, Funding, Initiative, InitiativePartner, Milestone, Task
from integration_hub.models import Membership, Organization, User
from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange

TODAY = date(2026, 6, 15)
TINY = {
    "affiliates": 3, "initiatives": 4, "indicators": 2, "measurements": 3, "responses": 6, "surveyed": 1,
    "reviews": 6, "stakeholders": 4, "needs": 3, "members": 3,
}  # fmt: skip


def seed(tag="tiny", **sizes):
    call_command("seed_scale", tag=tag, today=TODAY, stdout=_Quiet(), **{**TINY, **sizes})


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


@pytest.mark.django_db
def test_seed_scale_creates_the_network_it_is_asked_for():
    seed()
    orgs = tag_organizations("tiny")
    assert orgs.filter(kind=Organization.Kind.AFFILIATE).count() == 3
    assert orgs.filter(kind=Organization.Kind.NETWORK).count() == 1
    assert tag_users("tiny").count() == 3 * 3 + 1
    assert Membership.objects.filter(organization__in=orgs).count() == 3 * 3 + 1
    assert Initiative.objects.filter(organization__in=orgs).count() == 3 * 4
    assert Indicator.objects.count() == 3 * 4 * 2
    assert Measurement.objects.count() == 3 * 4 * 2 * 3
    assert ReviewSchedule.objects.count() == 3 * 4
    assert EvaluationReview.objects.count() == 3 * 4 * 6
    assert Stakeholder.objects.count() == 3 * 4
    assert Need.objects.count() == 3 * 3
    assert NeedsAssessment.objects.count() == Survey.objects.count() == 3
    assert Response.objects.count() == 6  # one surveyed affiliate
    assert Answer.objects.exists()
    assert Reminder.objects.count() == 0


@pytest.mark.django_db
def test_seeded_reviews_are_held_overdue_and_coming_up():
    seed(initiatives=6)
    reviews = EvaluationReview.objects.all()
    assert reviews.filter(held_on__isnull=False).exists()
    assert reviews.filter(held_on__isnull=True, due_date__lt=TODAY).exists()  # overdue
    assert reviews.filter(held_on__isnull=True, due_date__gte=TODAY).exists()  # coming up
    assert not reviews.filter(held_on__isnull=False, held_on__gt=TODAY).exists()
    for review in reviews.select_related("schedule"):
        assert review.remind_from == review.due_date - timedelta(days=review.schedule.reminder_lead_days)


@pytest.mark.django_db
def test_every_seeded_row_keeps_the_models_rules():
    """Valid choices, lengths, validators and check constraints: full_clean on every row."""
    seed()
    models = [
        Organization, User, Membership, NeedsAssessment, Need, Consultation, Question, Choice, Response, Answer,
        Stakeholder, StanceChange, Engagement, Commitment, Initiative, InitiativePartner, Milestone, Task,
        BudgetLine, Funding, Activity, Indicator, Measurement, ReviewSchedule, EvaluationReview,
    ]  # fmt: skip
    # An open review has no held_by: the model allows NULL but not blank, as the app's services write it.
    exclude = {User: ["password"], EvaluationReview: ["held_by"]}
    for model in models:
        rows = list(model.objects.all())
        assert rows, model.__name__
        for row in rows:
            row.full_clean(exclude=exclude.get(model))


@pytest.mark.django_db
def test_seeding_a_tag_twice_is_refused_and_reset_replaces_only_that_tag():
    seed(tag="other", affiliates=1)
    seed()
    other_initiatives = Initiative.objects.filter(organization__in=tag_organizations("other")).count()
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert Initiative.objects.filter(organization__in=tag_organizations("tiny")).count() == 3 * 4

    call_command("seed_scale", tag="tiny", reset=True, today=TODAY, stdout=_Quiet(), **TINY)

    assert tag_organizations("tiny").count() == 4
    assert Initiative.objects.filter(organization__in=tag_organizations("tiny")).count() == 3 * 4
    assert Measurement.objects.filter(indicator__initiative__organization__slug__startswith="tiny-").count() == 72
    assert Initiative.objects.filter(organization__in=tag_organizations("other")).count() == other_initiatives


@pytest.mark.django_db
def test_a_tag_must_be_a_short_lowercase_word():
    with pytest.raises(CommandError, match="--tag"):
        seed(tag="Bad-Tag")


@pytest.mark.django_db
def test_main_pages_make_as_many_queries_with_more_data():
    """bench/query_counts.py at smaller sizes: 1× vs about 10× the rows each page shows."""
    from bench.query_counts import ONE, compare

    more = {
        "affiliates": 4, "initiatives": 30, "indicators": 4, "measurements": 12, "responses": 40, "surveyed": 2,
        "reviews": 30, "stakeholders": 30, "needs": 12, "members": 6,
    }  # fmt: skip
    rows = compare(ONE, more, tag="qtest")
    different = [row for row in rows if row[-1] != "yes"]
    assert not different, different


def test_the_load_runs_mail_recorder_writes_one_line_per_message_with_its_message_id(tmp_path, monkeypatch):
    """bench/load_run.py proves 'sent exactly once' by counting these lines."""
    import json

    from django.core.mail import EmailMessage

    from bench.mail import RecordingEmailBackend

    log = tmp_path / "mail.jsonl"
    monkeypatch.setenv("LOAD_MAIL_LOG", str(log))
    messages = [EmailMessage("s", "b", to=[f"r{i}@example.org"], headers={"Message-ID": f"<m{i}@x>"}) for i in (1, 2)]
    assert RecordingEmailBackend().send_messages(messages) == 2
    RecordingEmailBackend().send_messages(messages[:1])
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(line["message_id"], line["to"]) for line in lines] == [
        ("<m1@x>", ["r1@example.org"]),
        ("<m2@x>", ["r2@example.org"]),
        ("<m1@x>", ["r1@example.org"]),
    ]


def test_large_makes_the_first_affiliate_diocese_sized_and_leaves_the_others_alone(db):
    seed(large=True, large_stakeholders=400, large_responses=150, large_initiatives=9, surveyed=2)
    first, *others = tag_organizations("tiny").filter(kind=Organization.Kind.AFFILIATE).order_by("slug")
    from_first = {"organization": first}
    assert Stakeholder.objects.filter(**from_first).count() == 400
    assert Initiative.objects.filter(**from_first).count() == 9
    assert Response.objects.filter(survey__assessment__organization=first).count() == 150
    assert Commitment.objects.filter(stakeholder__organization=first).count() == 400 // 3
    for org in others:
        assert Stakeholder.objects.filter(organization=org).count() == TINY["stakeholders"]
        assert Initiative.objects.filter(organization=org).count() == TINY["initiatives"]
    # The second affiliate is surveyed at the usual size, the third not at all.
    assert [Response.objects.filter(survey__assessment__organization=org).count() for org in others] == [
        TINY["responses"],
        0,
    ]


@pytest.mark.django_db
def test_the_load_runs_write_audit_finds_a_missing_acknowledged_write_and_an_unexplained_stored_one():
    """bench/load_run.py and bench/cluster.py: each acknowledged write (by its token) must be
    stored; a stored write nobody was told about is allowed only for an answer lost with a host."""
    from bench.load_run import write_checks

    seed()
    org = tag_organizations("tiny").filter(kind=Organization.Kind.AFFILIATE).order_by("slug").first()
    indicator = Indicator.objects.filter(initiative__organization=org).first()
    for mark in ("a1", "a2", "lost-answer"):
        Measurement.objects.create(indicator=indicator, date=TODAY, value=1, note=f"load run {mark}")
    Engagement.objects.create(
        organization=org, date=TODAY, kind="meeting", summary="Load run: talked about the library card drive. e1"
    )
    told = {"measurements": ["a1", "a2"], "engagements": ["e1"]}

    rows, breaches = write_checks({"acknowledged": told}, unanswered_writes=1)
    assert breaches == []
    assert ["stored but never acknowledged (answer lost with a host)", 1] in rows

    _rows, breaches = write_checks({"acknowledged": told}, unanswered_writes=0)
    assert breaches == ["1 writes stored that no user was told about"]

    told_more = {"measurements": ["a1", "a2", "never-stored"], "engagements": ["e1", "e2"]}
    _rows, breaches = write_checks({"acknowledged": told_more}, unanswered_writes=1)
    assert breaches == ["1 acknowledged measurements missing", "1 acknowledged engagements missing"]

    Measurement.objects.create(indicator=indicator, date=TODAY, value=1, note="board must not write")
    _rows, breaches = write_checks({"acknowledged": told}, unanswered_writes=1)
    assert breaches == ["1 board writes stored"]
