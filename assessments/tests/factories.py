import factory

from assessments.models import (
    Answer,
    Choice,
    Consultation,
    Need,
    NeedsAssessment,
    Question,
    RespondentSide,
    Response,
    Survey,
)
from integration_hub.tests.factories import OrganizationFactory


class NeedsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAssessment

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Community needs survey {n}")
    area_served = "East Side"
    status = NeedsAssessment.Status.COLLECTING


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        django_get_or_create = ("assessment",)

    assessment = factory.SubFactory(NeedsAssessmentFactory)
    title = factory.LazyAttribute(lambda s: {"en": s.assessment.title, "es": "Encuesta"})


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: {"en": f"Question {n}?", "es": f"¿Pregunta {n}?"})
    required = True


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: {"en": f"Option {n}", "es": f"Opción {n}"})


def choice_question(survey=None, labels=("Yes", "No"), **kwargs):
    question = QuestionFactory(**({"survey": survey} if survey else {}), **kwargs)
    for i, label in enumerate(labels):
        ChoiceFactory(question=question, position=i, label={"en": label, "es": f"{label} (es)"})
    return question


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    side = RespondentSide.NEWCOMER
    submitted_on = factory.Faker("date_this_year")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Listening session {n}")
    held_on = factory.Faker("date_this_year")
    kind = Consultation.Kind.LISTENING_SESSION
    newcomer_participants = 8
    resident_participants = 6
    languages = "English, Spanish"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Need {n}")
    category = Need.Category.LANGUAGE
    priority = Need.Priority.HIGH
