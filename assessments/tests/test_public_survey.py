import json
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Answer, NeedsAssessment, Question, RespondentSide, Response, Survey
from assessments.tests.factories import (
    ChoiceFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    SurveyFactory,
    choice_question,
)
from integration_hub.tests.factories import UserFactory
from integration_hub.tests.support import unreachable_cache

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (Linux; Android 14) UniqueAgent/987"


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    survey.single = choice_question(
        survey, labels=("Library", "Clinic"), position=1, text={"en": "Where?", "es": "¿Dónde?"}
    )
    survey.multiple = choice_question(
        survey, labels=("Jobs", "Housing", "Health"), position=2, kind=Question.Kind.MULTIPLE
    )
    survey.scale = QuestionFactory(survey=survey, position=3, kind=Question.Kind.SCALE)
    survey.number = QuestionFactory(survey=survey, position=4, kind=Question.Kind.NUMBER, min_value=1, max_value=15)
    survey.long = QuestionFactory(survey=survey, position=5, kind=Question.Kind.LONG_TEXT, required=False)
    return survey


def url(survey, lang=""):
    base = reverse("assessments:survey_respond", kwargs={"token": survey.token})
    return f"{base}?lang={lang}" if lang else base


def valid_data(survey, **overrides):
    data = {
        "side": RespondentSide.NEWCOMER,
        f"q{survey.single.pk}": str(survey.single.choices.first().pk),
        f"q{survey.multiple.pk}": [str(c.pk) for c in survey.multiple.choices.all()[:2]],
        f"q{survey.scale.pk}": "4",
        f"q{survey.number.pk}": "3",
        f"q{survey.long.pk}": "More evening classes, please.",
    }
    data.update(overrides)
    return data


def test_public_page_needs_no_login_and_shows_spanish_text(client, survey):
    response = client.get(url(survey, "es"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es" dir="ltr">' in html
    assert "¿Dónde?" in html and "Library (es)" in html
    assert "Sus respuestas son anónimas" in html
    assert "No guardamos su dirección IP" in html
    assert "Soy recién llegado/a" in html


def test_public_page_sets_no_cookie(client, survey):
    get = client.get(url(survey))
    post = client.post(url(survey), valid_data(survey))
    assert not get.cookies and not post.cookies


def test_valid_submission_stores_side_date_and_answers_only(client, survey):
    response = client.post(url(survey, "es"), valid_data(survey), REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)

    assert response.status_code == 302
    assert response.url == reverse("assessments:survey_thanks", kwargs={"token": survey.token}) + "?lang=es"
    stored = Response.objects.get()
    assert stored.side == RespondentSide.NEWCOMER
    # Besides the side and the date: the page's language, the channel and the page's random
    # submission key (which links to nothing); nothing else.
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "survey",
        "side",
        "submitted_on",
        "language",
        "channel",
        "submission_key",
    }
    assert stored.language == "es"
    assert stored.channel == "online"
    assert Answer.objects.filter(response=stored).count() == 6  # one row per chosen option
    assert Answer.objects.get(question=survey.long).text == "More evening classes, please."
    assert "Gracias" in client.get(response.url).content.decode()


def test_no_ip_address_or_user_agent_anywhere_in_the_response_tables(client, survey):
    client.post(url(survey), valid_data(survey), REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    assert Response.objects.count() == 1
    with connection.cursor() as cursor:
        for model in (Response, Answer):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - table names from our models
            for row in cursor.fetchall():
                for value in row:
                    assert IP not in str(value) and "UniqueAgent" not in str(value)
    # Only a date: no column could hold a time of day.
    assert all(f.get_internal_type() != "DateTimeField" for f in Response._meta.concrete_fields)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda s: {"side": ""}, "side", "Please choose one of the options"),
        (lambda s: {"side": "citizen"}, "side", "Please choose one of the options"),
        (lambda s: {f"q{s.single.pk}": ""}, "single", "Please answer this question."),
        (lambda s: {f"q{s.single.pk}": str(ChoiceFactory().pk)}, "single", "Please choose one of the options shown."),
        (lambda s: {f"q{s.single.pk}": [str(c.pk) for c in s.single.choices.all()]}, "single", "Please choose one"),
        (lambda s: {f"q{s.multiple.pk}": [str(s.single.choices.first().pk)]}, "multiple", "Please choose one"),
        (lambda s: {f"q{s.scale.pk}": "6"}, "scale", "Please choose a number from 1 to 5."),
        (lambda s: {f"q{s.number.pk}": "16"}, "number", "Please enter a number from 1 to 15."),
        (lambda s: {f"q{s.number.pk}": "three"}, "number", "Please enter a whole number."),
        (lambda s: {f"q{s.long.pk}": "x" * 2001}, "long", "Please shorten your answer to at most 2000 characters"),
    ],
    ids=[
        "no-side",
        "bad-side",
        "missing",
        "foreign-choice",
        "two-singles",
        "wrong-question-choice",
        "scale",
        "range",
        "not-a-number",
        "huge-text",
    ],
)
def test_bad_answers_are_refused_with_a_clear_message_and_nothing_is_stored(client, survey, change, field, message):
    response = client.post(url(survey), valid_data(survey, **change(survey)))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    anchor = "field-side" if field == "side" else f"field-q{getattr(survey, field).pk}"
    assert f'href="#{anchor}"' in html  # the error summary links to the field
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_errors_are_in_the_respondents_language_and_keep_what_was_typed(client, survey):
    data = valid_data(survey, **{f"q{survey.number.pk}": "99", f"q{survey.long.pk}": "Más clases"})
    response = client.post(url(survey, "es"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Revise estas respuestas" in html
    assert "Por favor, escriba un número del 1 al 15." in html
    assert "Más clases" in html and 'value="99"' in html


def test_optional_question_may_be_left_empty(client, survey):
    response = client.post(url(survey), valid_data(survey, **{f"q{survey.long.pk}": ""}))
    assert response.status_code == 302
    assert not Answer.objects.filter(question=survey.long).exists()


def test_unknown_token_answers_404_and_stores_nothing(client, survey):
    response = client.post(reverse("assessments:survey_respond", kwargs={"token": "nope"}), valid_data(survey))
    assert response.status_code == 404
    assert "This survey is not open" in response.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "analysing", "closed"])
def test_link_is_closed_unless_the_assessment_is_collecting(client, survey, status):
    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(status=status)
    assert client.get(url(survey, "es")).status_code == 404
    response = client.post(url(survey), valid_data(survey))
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_submissions_beyond_the_per_link_rate_are_refused_and_not_stored(client, survey, settings):
    settings.SURVEY_SUBMISSIONS_PER_MINUTE = 2
    for _ in range(2):
        assert client.post(url(survey), valid_data(survey)).status_code == 302
    response = client.post(url(survey), valid_data(survey))
    assert response.status_code == 429
    assert "Too many answers at once" in response.content.decode()
    assert Response.objects.count() == 2


def test_survey_token_is_long_and_random(survey):
    other = SurveyFactory()
    assert len(survey.token) >= 32 and survey.token != other.token
    # The link carries only the token, never the id.
    assert reverse("assessments:survey_respond", kwargs={"token": survey.token}) == f"/needs/s/{survey.token}/"


def test_public_pages_link_to_the_privacy_page_in_the_respondents_language(client, survey):
    html = client.get(url(survey, "es")).content.decode()
    assert '/privacy/?lang=es"' in html and "Qué guardamos y qué nunca preguntamos" in html
    html = client.get(url(survey, "en")).content.decode()
    assert '/privacy/?lang=en"' in html


# --- Speed: the questions are cached per survey version, and every change shows at once ---------


def warm(client, survey):
    """A first visit leaves this process's copy of the questions in the cache."""
    assert client.get(url(survey)).status_code == 200


def builder(name, pk):
    return reverse(f"assessments:{name}", kwargs={"pk": pk})


def question_form(question=None, *, kind="single", text_en="Where?", rows=(), initial=0, **fields):
    data = {"text_en": text_en, "kind": kind, "required": "on", "min_value": "0", "max_value": "100"}
    data |= {"choices-TOTAL_FORMS": str(len(rows)), "choices-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data |= {f"choices-{i}-{key}": value for key, value in row.items()}
    return data | fields


def existing_rows(question):
    return [{"id": str(c.pk), "label_en": c.label["en"]} for c in question.choices.all()]


def test_public_page_reads_the_questions_once_per_structure_version(client, survey, django_assert_num_queries):
    warm(client, survey)
    with django_assert_num_queries(1):  # the survey row, with its version; the questions are cached
        assert client.get(url(survey)).status_code == 200
    services.survey_structure_changed(survey_id=survey.pk)
    with django_assert_num_queries(3):  # a new version: questions and options are read again
        assert client.get(url(survey)).status_code == 200


def test_a_submission_reads_only_the_survey_and_writes_in_two_inserts(client, survey, django_assert_max_num_queries):
    warm(client, survey)
    data = valid_data(survey)
    # The survey; then, in one transaction (a savepoint inside the test's), the response and one
    # INSERT for all six answers. Before the cache: 7, reading questions and options every time.
    with django_assert_max_num_queries(5):
        assert client.post(url(survey), data).status_code == 302
    assert Response.objects.count() == 1 and Answer.objects.count() == 6


def test_a_question_added_in_the_builder_is_asked_at_once(client, editor_client, survey):
    warm(client, survey)
    data = question_form(kind="short_text", text_en="How did you hear of us?")
    assert editor_client.post(builder("question_create", survey.assessment_id), data).status_code == 302

    assert "How did you hear of us?" in client.get(url(survey)).content.decode()
    response = client.post(url(survey), valid_data(survey))  # does not answer the new, required question
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert Response.objects.count() == 0


def test_wording_and_an_option_added_in_the_builder_show_and_count_at_once(client, editor_client, survey):
    question = survey.single
    warm(client, survey)
    rows = [*existing_rows(question), {"label_en": "Community centre"}]
    data = question_form(text_en="Where do you go first?", rows=rows, initial=2)
    assert editor_client.post(builder("question_update", question.pk), data).status_code == 302

    html = client.get(url(survey)).content.decode()
    assert "Where do you go first?" in html and "Community centre" in html
    added = question.choices.get(label__en="Community centre")
    assert client.post(url(survey), valid_data(survey, **{f"q{question.pk}": str(added.pk)})).status_code == 302
    assert Answer.objects.filter(choice=added).count() == 1


def test_an_option_removed_in_the_builder_is_refused_at_once(client, editor_client, survey):
    question = survey.multiple
    removed = question.choices.last()
    warm(client, survey)
    rows = existing_rows(question)
    rows[-1]["DELETE"] = "on"
    data = question_form(kind="multiple", text_en="What?", rows=rows, initial=len(rows))
    assert editor_client.post(builder("question_update", question.pk), data).status_code == 302

    assert f'id="q{question.pk}-{removed.pk}"' not in client.get(url(survey)).content.decode()
    response = client.post(url(survey), valid_data(survey, **{f"q{question.pk}": [str(removed.pk)]}))
    assert response.status_code == 400
    assert "Please choose one of the options shown." in response.content.decode()
    assert Response.objects.count() == 0


def test_a_question_deleted_in_the_builder_is_gone_at_once(client, editor_client, survey):
    warm(client, survey)
    assert editor_client.post(builder("question_delete", survey.number.pk)).status_code == 302

    assert f'name="q{survey.number.pk}"' not in client.get(url(survey)).content.decode()
    data = valid_data(survey)
    del data[f"q{survey.number.pk}"]
    assert client.post(url(survey), data).status_code == 302
    assert Answer.objects.count() == 5


def test_questions_moved_in_the_builder_show_in_their_new_order_at_once(client, editor_client, survey):
    warm(client, survey)
    editor_client.post(builder("question_move", survey.scale.pk), {"direction": "up"})

    html = client.get(url(survey)).content.decode()
    assert html.index(f'name="q{survey.scale.pk}"') < html.index(f'name="q{survey.multiple.pk}"')


def test_questions_edited_or_deleted_in_the_django_admin_show_at_once(client, survey):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(superuser)
    question = survey.scale
    warm(client, survey)
    data = {
        "survey": str(survey.pk),
        "position": "3",
        "kind": "scale",
        "text": json.dumps({"en": "How welcome do you feel here?"}),
        "help_text": "{}",
        "required": "on",
        "min_value": "0",
        "max_value": "100",
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
    }
    response = admin.post(reverse("admin:assessments_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    assert "How welcome do you feel here?" in client.get(url(survey)).content.decode()

    admin.post(reverse("admin:assessments_question_delete", args=[survey.long.pk]), {"post": "yes"})
    assert f'name="q{survey.long.pk}"' not in client.get(url(survey)).content.decode()


def test_closing_and_reopening_the_assessment_takes_effect_at_once(client, editor_client, survey):
    status = builder("assessment_status", survey.assessment_id)
    warm(client, survey)
    editor_client.post(status, {"status": NeedsAssessment.Status.CLOSED})
    assert client.get(url(survey)).status_code == 404
    assert client.post(url(survey), valid_data(survey)).status_code == 404
    assert Response.objects.count() == 0

    editor_client.post(status, {"status": NeedsAssessment.Status.COLLECTING})
    assert client.get(url(survey)).status_code == 200
    assert client.post(url(survey), valid_data(survey)).status_code == 302
    assert Response.objects.count() == 1


def test_the_rate_limit_still_counts_every_submission_with_the_questions_cached(client, survey, settings):
    settings.SURVEY_SUBMISSIONS_PER_MINUTE = 3
    warm(client, survey)
    statuses = [client.post(url(survey), valid_data(survey)).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Response.objects.count() == 3


def test_a_response_whose_answers_cannot_all_be_stored_is_not_stored_at_all(survey):
    # On PostgreSQL one statement writes the response and its answers; elsewhere one transaction.
    empty = services.ParsedAnswer(question=survey.long)  # no option, number or text: the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        services.response_submit(
            survey=survey, side=RespondentSide.RESIDENT, answers=[services.ParsedAnswer(survey.scale, number=3), empty]
        )
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_public_survey_is_the_collecting_survey_behind_the_token_and_loads_the_rest_on_access(survey):
    found = selectors.public_survey(survey.token)
    # Every question and option the fixture created moved the version (integration_hub.invalidation).
    stored_version = Survey.objects.values_list("structure_version", flat=True).get(pk=survey.pk)
    assert stored_version >= 5
    assert (found.pk, found.assessment_id, found.token, found.structure_version) == (
        survey.pk,
        survey.assessment_id,
        survey.token,
        stored_version,
    )
    assert found.title == survey.title and found.assessment.title == survey.assessment.title
    assert found.kept_tallies == {} and found.assessment.organization == survey.assessment.organization
    assert selectors.public_survey("nope") is None
    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(status=NeedsAssessment.Status.ANALYSING)
    assert selectors.public_survey(survey.token) is None


def test_a_survey_without_its_own_title_shows_the_assessments(client, survey):
    Survey.objects.filter(pk=survey.pk).update(title={})
    html = client.get(url(survey, "es")).content.decode()
    assert survey.assessment.title in html


def test_a_response_with_no_answers_is_stored_with_its_side_and_date(survey):
    response_id = services.response_submit(survey=survey, side=RespondentSide.PREFER_NOT, answers=[])
    stored = Response.objects.get(pk=response_id)
    assert (stored.survey_id, stored.side, stored.answers.count()) == (survey.pk, RespondentSide.PREFER_NOT, 0)


# --- The rate limit counts accepted answers only, and never fails with the cache ------------


@pytest.fixture(autouse=False)
def one_minute(monkeypatch):
    """Counts are per clock minute: a test must not straddle two."""
    import assessments.views

    monkeypatch.setattr(assessments.views.time, "time", lambda: 1_893_456_030.0)


def test_a_flood_of_invalid_posts_does_not_close_the_link_to_real_respondents(client, survey, settings, one_minute):
    settings.SURVEY_SUBMISSIONS_PER_MINUTE = 3
    settings.SURVEY_INVALID_POSTS_PER_MINUTE = 1000
    for _ in range(31):
        assert client.post(url(survey), {}, REMOTE_ADDR="198.51.100.9").status_code == 400
    statuses = [client.post(url(survey), valid_data(survey), REMOTE_ADDR=f"192.0.2.{i}").status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]  # the link's limit counts the valid ones only
    assert Response.objects.count() == 3


def test_invalid_posts_from_one_address_are_refused_past_a_generous_limit_and_others_still_see_errors(
    client, survey, settings, one_minute
):
    settings.SURVEY_INVALID_POSTS_PER_MINUTE = 5
    flood = [client.post(url(survey), {"side": "x"}, REMOTE_ADDR="198.51.100.9").status_code for _ in range(7)]
    assert flood == [400] * 5 + [429] * 2
    assert client.post(url(survey), {}, REMOTE_ADDR="198.51.100.10").status_code == 400
    # The flooding address's real answers still go in: only its invalid posts are slowed.
    assert client.post(url(survey), valid_data(survey), REMOTE_ADDR="198.51.100.9").status_code == 302
    assert Response.objects.count() == 1


def test_the_invalid_post_counter_keeps_no_address_and_expires_within_its_minute(client, survey, settings, one_minute):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "integration_hub.cache.LocMemCache"}}  # to look inside it
    settings.SURVEY_INVALID_POSTS_PER_MINUTE = 5
    for _ in range(3):
        client.post(url(survey), {}, REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="10.1.2.3")
    stored = dict(cache._cache.items())
    counters = [key for key in stored if "survey-invalid:" in key]
    assert len(counters) == 1 and cache.get(counters[0].split(":", 2)[2]) == 3
    assert not any(IP in key or IP in str(value) or "10.1.2.3" in key for key, value in stored.items())
    assert all(expiry - time.time() <= 60 for key, expiry in cache._expire_info.items() if "survey-invalid" in key)
    # Only the address decides; with a proxy in front, the address it reports.
    settings.AXES_IPWARE_PROXY_COUNT = 1
    client.post(url(survey), {}, REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert len([key for key in cache._cache if "survey-invalid:" in key]) == 2


@pytest.mark.parametrize("error", ["connection", "timeout"])
def test_answers_are_stored_and_thanked_while_the_cache_is_down_or_hung(client, survey, settings, error, caplog):
    from integration_hub import cache as counters

    counters._warned_at = 0.0
    settings.CACHES = unreachable_cache(error)
    response = client.post(url(survey, "es"), valid_data(survey), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(reverse("assessments:survey_thanks", args=[survey.token]))
    assert Response.objects.count() == 1 and Answer.objects.count() == 6
    assert "counting in this process only" in caplog.text
    # Invalid posts still get their errors, not a 500.
    assert client.post(url(survey), {}).status_code == 400


def test_while_the_cache_is_down_each_process_still_limits_each_link(client, survey, settings, one_minute):
    settings.CACHES = unreachable_cache("timeout")
    settings.SURVEY_SUBMISSIONS_PER_MINUTE = 2
    statuses = [client.post(url(survey), valid_data(survey)).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


@pytest.mark.real_services
def test_answers_survive_a_real_redis_stopping_hanging_and_coming_back(client, survey, settings, own_redis):
    import redis

    settings.CACHES = {
        "default": {
            "BACKEND": "integration_hub.cache.RedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
    long_text = "Más clases de inglés por la tarde, por favor — y guardería. " * 30
    answers = valid_data(survey, **{f"q{survey.long.pk}": long_text[:1000]})

    def submit():
        response = client.post(url(survey, "es"), answers)
        assert response.status_code == 302 and "/thanks/" in response.url

    def link_count():
        keys = redis.Redis.from_url(own_redis.url).keys("*survey-rate:*")
        return [int(redis.Redis.from_url(own_redis.url).get(key)) for key in keys]

    submit()
    assert link_count() == [1]  # counted in Redis while it is up
    own_redis.stop()
    submit()
    submit()
    own_redis.start()  # empty again (nothing saved), same port
    submit()
    assert link_count() == [1]  # the shared count is back in Redis at once
    own_redis.hang()
    try:
        submit()  # answered within the socket timeout, not left hanging
    finally:
        own_redis.resume()
    submit()
    # The hung call's commands may already sit in Redis's socket and run once it resumes.
    assert link_count() in ([2], [3])
    assert Response.objects.count() == 6
    assert set(Answer.objects.exclude(text="").values_list("text", flat=True)) == {long_text[:1000].strip()}
