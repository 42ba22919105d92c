"""An Arabic-speaking newcomer answers on a phone: the page reads right to left, axe finds nothing."""

import pytest
from playwright.sync_api import expect

from assessments.languages import catalogue_words
from assessments.models import Question, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question
from e2e.helpers import AXE, PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_VIOLATIONS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""


def test_the_arabic_page_reads_right_to_left_on_a_phone_and_passes_axe(browser, live_server, organization):
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization),
        languages=["en", "ar", "ht"],
        title={"en": "What does our community need?", "ar": "ما الذي يحتاجه مجتمعنا؟"},
        purpose={"en": "To plan next year's classes.", "ar": "لنخطط لصفوف العام القادم."},
    )
    choice_question(survey, labels=("Library", "Clinic"), position=1, text={"en": "Where?", "ar": "أين؟"})
    QuestionFactory(
        survey=survey,
        position=2,
        kind=Question.Kind.SCALE,
        text={"en": "How welcome do you feel?", "ar": "إلى أي حد تشعر بالترحيب؟"},
        scale_low={"ar": "إطلاقًا"},
        scale_high={"ar": "كثيرًا جدًا"},
    )
    QuestionFactory(
        survey=survey, position=3, kind=Question.Kind.LONG_TEXT, required=False, text={"en": "Anything else?"}
    )
    words = catalogue_words("ar")

    context = browser.new_context(viewport=PHONE, locale="ar-EG")
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.goto(f"{live_server.url}{survey.get_public_url()}")  # no ?lang=: the browser's Arabic picks it

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.get_by_role("heading", name="ما الذي يحتاجه مجتمعنا؟")).to_be_visible()
    expect(page.get_by_role("link", name="Kreyòl ayisyen")).to_have_attribute("lang", "ht")
    # Right to left: the page's first words sit at the right edge of the screen.
    heading = page.get_by_role("heading", name="ما الذي يحتاجه مجتمعنا؟").bounding_box()
    assert heading["x"] + heading["width"] > PHONE["width"] - 40
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")

    page.evaluate(AXE.read_text())
    assert page.evaluate(ALL_VIOLATIONS) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "rtl-arabic-phone.png", full_page=True)

    page.get_by_label(words["side_newcomer"]).check()
    page.get_by_role("radio", name="Clinic").check()  # no Arabic for the options: the English
    page.get_by_text("4", exact=True).click()
    page.locator("textarea").fill("نحتاج إلى مترجمين في العيادة")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.get_by_role("heading", name=words["thanks_title"])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.evaluate(AXE.read_text())
    assert page.evaluate(ALL_VIOLATIONS) == []
    page.screenshot(path=SCREENSHOTS / "rtl-arabic-phone-thanks.png", full_page=True)
    context.close()

    stored = Response.objects.get()
    assert stored.language == "ar" and stored.answers.get(question__kind="long_text").text.startswith("نحتاج")
