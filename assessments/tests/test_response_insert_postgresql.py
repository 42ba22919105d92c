"""The PostgreSQL-only write path of a survey response (services._response_insert_postgresql) runs
under bin/test too, on SQLite: against a PostgreSQL server of the test's own
(integration_hub/tests/servers.py), on the two tables it writes, created from the models. It must
store exactly what the ORM path stores, and nothing when one answer is refused."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections

from assessments import services
from assessments.models import Answer, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question

ANSWER_COLUMNS = ("question_id", "choice_id", "number", "text")


@pytest.fixture
def own_database(own_postgres, django_db_blocker):
    connections.settings["own"] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(own_postgres.port),
        "TEST": {},
    }
    try:
        with django_db_blocker.unblock():  # only this server, never the test database
            own = connections["own"]
            with own.schema_editor() as editor:
                for model in (Response, Answer):
                    editor.create_model(model)
                # No foreign keys: the surveys and questions they point to are in the test database.
                editor.deferred_sql.clear()
            yield own
    finally:
        connections["own"].close()
        del connections["own"]
        del connections.settings["own"]


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    survey.multiple = choice_question(survey, labels=("Jobs", "Housing", "Health"), kind=Question.Kind.MULTIPLE)
    survey.scale = QuestionFactory(survey=survey, kind=Question.Kind.SCALE)
    survey.long = QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT, required=False)
    return survey


def rows(db, response_id):
    with db.cursor() as cursor:
        cursor.execute("SELECT survey_id, side, submitted_on FROM assessments_response WHERE id = %s", [response_id])
        response = cursor.fetchone()
        cursor.execute(
            f"SELECT {', '.join(ANSWER_COLUMNS)} FROM assessments_answer WHERE response_id = %s",  # noqa: S608
            [response_id],
        )
        return response, sorted(cursor.fetchall(), key=repr)


def test_the_postgresql_statement_stores_what_the_orm_stores(survey, own_database):
    chosen = list(survey.multiple.choices.all()[:2])
    text = "Clases de inglés por la tarde — cerca de la parada; 'nada' \"más\" \\ y 100 % gratis" * 20
    answers = [
        *(services.ParsedAnswer(survey.multiple, choice=choice) for choice in chosen),
        services.ParsedAnswer(survey.scale, number=5),
        services.ParsedAnswer(survey.long, text=text),
    ]
    far_day = date(2099, 12, 31)

    def response():
        return Response(survey=survey, side=RespondentSide.RESIDENT, submitted_on=far_day)

    orm_id = services._response_insert_orm(response(), answers)
    first = services._response_insert_postgresql(response(), answers, db=own_database)
    second = services._response_insert_postgresql(response(), answers[:1], db=own_database)

    expected = sorted(Answer.objects.filter(response_id=orm_id).values_list(*ANSWER_COLUMNS), key=repr)
    assert len(expected) == 4
    assert rows(own_database, first) == ((survey.pk, RespondentSide.RESIDENT, far_day), expected)
    assert second != first and len(rows(own_database, second)[1]) == 1


def test_a_refused_answer_stores_nothing_on_postgresql_either(survey, own_database):
    empty = services.ParsedAnswer(question=survey.long)  # no option, number or text: the database refuses it
    with pytest.raises(IntegrityError):
        services._response_insert_postgresql(
            Response(survey=survey, side=RespondentSide.NEWCOMER, submitted_on=date(2026, 3, 1)),
            [services.ParsedAnswer(survey.scale, number=3), empty],
            db=own_database,
        )
    with own_database.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM assessments_response), (SELECT count(*) FROM assessments_answer)")
        assert cursor.fetchone() == (0, 0)


def test_a_questionnaire_sent_twice_with_its_key_is_stored_once_on_both_paths(survey, own_database):
    """An offline device retries, or a tap lands twice: the same submission key stores nothing more."""
    key = uuid.uuid4()
    answers = [services.ParsedAnswer(survey.scale, number=4)]

    def response():
        return Response(survey=survey, side=RespondentSide.NEWCOMER, submitted_on=date(2026, 3, 1), submission_key=key)

    first = services._response_insert_orm(response(), answers)
    assert first is not None
    assert services._response_insert_orm(response(), answers) is None
    assert Response.objects.filter(submission_key=key).count() == 1 and Answer.objects.count() == 1

    stored = services._response_insert_postgresql(response(), answers, db=own_database)
    assert stored is not None
    assert services._response_insert_postgresql(response(), answers, db=own_database) is None
    with own_database.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM assessments_response), (SELECT count(*) FROM assessments_answer)")
        assert cursor.fetchone() == (1, 1)


def test_response_submit_returns_the_first_id_for_a_repeat_and_keys_do_not_collide(survey):
    key = uuid.uuid4()
    answers = [services.ParsedAnswer(survey.scale, number=2)]
    first = services.response_submit(survey=survey, side=RespondentSide.RESIDENT, answers=answers, submission_key=key)
    again = services.response_submit(survey=survey, side=RespondentSide.RESIDENT, answers=answers, submission_key=key)
    other = services.response_submit(
        survey=survey, side=RespondentSide.RESIDENT, answers=answers, submission_key=uuid.uuid4(), channel="kiosk"
    )
    keyless = [services.response_submit(survey=survey, side="resident", answers=answers) for _ in range(2)]
    assert again == first
    assert len({first, other, *keyless}) == 4
    assert Response.objects.get(pk=other).channel == "kiosk"
    with pytest.raises(ValidationError):
        services.response_submit(survey=survey, side="resident", answers=answers, channel="carrier pigeon")
