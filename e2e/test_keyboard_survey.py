"""A newcomer on a phone completes the public survey with the keyboard alone (Tab, arrows, Space, Enter)."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question
from e2e.helpers import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const shown = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  };
  // A visually hidden radio (Bootstrap's .btn-check) shows its focus on its label.
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", value: el.value || "",
    text: (el.innerText || "").trim(), checked: !!el.checked,
    ring: shown(el) || (label !== null && shown(label)),
  };
}"""


def _tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_a_newcomer_completes_the_public_survey_with_the_keyboard_alone(browser, live_server, organization, inspector):
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization),
        title={"en": "What does our community need?", "es": "¿Qué necesita nuestra comunidad?"},
    )
    where = choice_question(
        survey, labels=("Library", "Clinic", "Parish"), position=1, text={"en": "Where?", "es": "¿Dónde?"}
    )
    services = choice_question(
        survey,
        labels=("Health care", "English classes", "Legal advice"),
        position=2,
        kind=Question.Kind.MULTIPLE,
        text={"en": "Which services are hard to reach?", "es": "¿Qué servicios son difíciles de conseguir?"},
    )
    welcome = QuestionFactory(
        survey=survey, position=3, kind=Question.Kind.SCALE, text={"en": "How welcome?", "es": "¿Qué tan bienvenido?"}
    )
    household = QuestionFactory(
        survey=survey,
        position=4,
        kind=Question.Kind.NUMBER,
        required=False,
        min_value=1,
        max_value=15,
        text={"en": "Household size?", "es": "¿Cuántas personas viven en su hogar?"},
    )
    radios = {"side": RespondentSide.NEWCOMER.value, f"q{where.pk}": None, f"q{welcome.pk}": "4"}
    choices = {c.label["en"]: str(c.pk) for c in (*where.choices.all(), *services.choices.all())}
    radios[f"q{where.pk}"] = choices["Clinic"]
    ticks = {choices["English classes"], choices["Legal advice"]}
    typed = {f"q{household.pk}": "5"}

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.goto(f"{live_server.url}{survey.get_public_url()}")

    # Tab to the language switch and follow it with Enter.
    for _ in range(10):
        focused = _tab(page)
        if focused["tag"] == "a" and focused["text"] == "Español":
            break
    else:
        pytest.fail("The language switch cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="¿Qué necesita nuestra comunidad?")).to_be_visible()
    inspector.look(page, "public survey, every kind of question (Spanish)")
    page.set_viewport_size(PHONE)

    # Then through the form: arrows pick a radio, Space ticks a box, keys type a number, Enter sends.
    unseen = []
    for _ in range(40):
        focused = _tab(page)
        if not focused["ring"]:
            unseen.append(focused)
        if focused["type"] == "radio" and focused["name"] in radios:
            wanted = radios.pop(focused["name"])
            if focused["value"] != wanted:
                for _ in range(6):
                    page.keyboard.press("ArrowRight")
                    if page.evaluate("document.activeElement.value") == wanted:
                        break
            if not page.evaluate("document.activeElement.checked"):
                page.keyboard.press("Space")
        elif focused["type"] == "checkbox" and focused["value"] in ticks:
            page.keyboard.press("Space")
        elif focused["name"] in typed:
            page.keyboard.type(typed.pop(focused["name"]))
        elif focused["tag"] == "button" and focused["type"] == "submit":
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail("The send button cannot be reached with Tab")

    expect(page.get_by_role("heading", name="Gracias")).to_be_visible()
    inspector.assert_clean()
    assert radios == {} and typed == {}, "every question was reached by Tab"
    assert unseen == [], f"focus was not visible on: {unseen}"
    response = Response.objects.get()
    assert response.side == RespondentSide.NEWCOMER
    answers = Answer.objects.filter(response=response)
    assert {a.choice.label["en"] for a in answers if a.choice_id} == {"Clinic", "English classes", "Legal advice"}
    assert {a.number for a in answers if a.number is not None} == {4, 5}
    context.close()
