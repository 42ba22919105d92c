"""The Content-Security-Policy in a real browser: pages with charts, htmx, Bootstrap, the API docs and
the two-factor QR code run without a single violation (no inline script or style needed)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs (an init script is not subject to the page's CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def strict_page(browser):
    """A page of its own context, which leaves the CSP in force (bypass_csp off), with the listener."""
    context = browser.new_context(bypass_csp=False, viewport={"width": 1280, "height": 900})
    context.add_init_script(script=LISTEN)
    page = context.new_page()
    page.set_default_timeout(8_000)
    console = []
    page.on("console", lambda message: console.append(message.text))
    yield page, console
    context.close()


def _violations(page, console):
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # a chart or htmx may add elements just after load
    found = page.evaluate("window.__cspViolations")
    found += [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]
    return found


def test_pages_with_charts_htmx_the_api_docs_and_the_qr_code_raise_no_csp_violation(
    strict_page, live_server, editor_user, four_steps
):
    from assessments.models import RespondentSide, Survey
    from assessments.tests.factories import AnswerFactory, ResponseFactory, choice_question

    page, console = strict_page
    survey = Survey.objects.get()
    # Charts are drawn only for groups of five or more (suppression): six on each side.
    for side in (RespondentSide.NEWCOMER, RespondentSide.RESIDENT):
        ResponseFactory.create_batch(5, survey=survey, side=side)
    question = choice_question(survey=survey, labels=("English classes", "Banking"))
    for response in survey.responses.all():
        AnswerFactory(response=response, question=question, choice=question.choices.first())
    assessment = survey.assessment
    indicator = four_steps.indicators.get()
    found = {}

    page.goto(live_server.url + reverse("login"))
    found["login"] = _violations(page, console)
    page.get_by_label("Email").fill(editor_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    found["home"] = _violations(page, console)

    pages = {
        "board dashboard (charts)": reverse("evaluations:dashboard"),
        "survey results (charts)": reverse("assessments:results", args=[assessment.pk]),
        "survey builder": reverse("assessments:survey_builder", args=[assessment.pk]),
        "initiative page (chart, htmx)": four_steps.get_absolute_url(),
        "indicator page (chart)": reverse("evaluations:indicator_detail", args=[indicator.pk]),
        "two-factor set-up (QR code)": reverse("two_factor"),
        "public survey": survey.get_public_url(),
    }
    for name, path in pages.items():
        console.clear()
        page.goto(live_server.url + path)
        found[name] = _violations(page, console)
        if "charts" in name or "chart" in name:
            expect(page.locator("canvas").first).to_be_visible()
    expect(page.get_by_role("heading").first).to_be_visible()

    # The htmx quick add on the initiative page still works under the policy.
    console.clear()
    page.goto(live_server.url + four_steps.get_absolute_url())
    page.locator("[data-bs-toggle='dropdown']").first.click()
    found["initiative page after a dropdown"] = _violations(page, console)

    console.clear()
    page.goto(live_server.url + reverse("api:docs"))
    expect(page.get_by_role("heading", name="Integration Hub API", level=1)).to_be_visible()
    found["api docs"] = _violations(page, console)

    assert {name: v for name, v in found.items() if v} == {}


def test_the_listener_does_catch_a_violation(strict_page, live_server):
    """Proves the check above can fail: an inline script added to a page is reported."""
    page, console = strict_page
    page.goto(live_server.url + reverse("login"))
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    assert any("script-src" in v for v in _violations(page, console))
