"""A kiosk at an event: an editor starts it through the app, three people in a row answer on the same
tablet, each gets a fresh empty form by itself, nothing of the one before stays on the device, and
only the starter's password ends it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from assessments.languages import catalogue_words
from assessments.models import Answer, Channel, Kiosk, NeedsAssessment, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question
from e2e.helpers import PASSWORD, SCREENSHOTS, Inspector, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ODD = (
    'She said "we need a clinic" — and it\'s far: 12 km; <script>alert(1)</script> '
    "نحتاج إلى دروس اللغة الإنجليزية في المساء " + "long line without a break " * 12 + "«fin»"
)
PEOPLE = (
    (RespondentSide.NEWCOMER, "side_newcomer", 1, ODD),
    (RespondentSide.RESIDENT, "side_resident", 0, "More buses on Sunday, please."),
    (RespondentSide.PREFER_NOT, "side_prefer_not", 1, "مكتبة أقرب إلى البيت"),
)

# Everything the page keeps on the device: web storage, every IndexedDB store, the Cache Storage.
DEVICE = """async () => {
  const out = {local: JSON.stringify({...localStorage}), session: JSON.stringify({...sessionStorage}), idb: [], caches: []};
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = no; });
    for (const name of db.objectStoreNames) {
      const rows = await new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
      out.idb.push(...rows.map((row) => JSON.stringify(row)));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const type = response.headers.get("content-type") || "";
      out.caches.push(request.url + (type.includes("html") ? await response.text() : ""));
    }
  }
  return out;
}"""


@pytest.fixture
def survey(organization):
    assessment = NeedsAssessmentFactory(
        organization=organization, title="Eastside needs 2026", status=NeedsAssessment.Status.COLLECTING
    )
    survey = SurveyFactory(
        assessment=assessment,
        languages=["en", "es", "ar"],
        title={
            "en": "What does our community need?",
            "es": "¿Qué necesita nuestra comunidad?",
            "ar": "ما الذي يحتاجه مجتمعنا؟",
        },
    )
    survey.where = choice_question(
        survey, labels=("Library", "Clinic"), position=1, text={"en": "Where?", "es": "¿Dónde?", "ar": "أين؟"}
    )
    survey.other = QuestionFactory(
        survey=survey,
        position=2,
        kind=Question.Kind.LONG_TEXT,
        required=False,
        text={"en": "Anything else?", "es": "¿Algo más?", "ar": "هل هناك شيء آخر؟"},
    )
    return survey


def _form_is_empty(page, survey):
    expect(page.locator("form[data-kiosk]")).to_be_visible()
    assert page.locator("input[type=radio]:checked").count() == 0
    expect(page.locator("textarea")).to_have_value("")
    assert page.locator(f"input[name=q{survey.where.pk}]").count() == 2


def _nothing_left_of(page, text):
    assert text not in page.content()
    assert text not in page.evaluate("document.body.innerText")
    device = page.evaluate(DEVICE)
    assert device["local"] == "{}" and device["session"] == "{}"
    assert not any(text in row for row in device["idb"]), device["idb"]  # the offline queue is empty
    assert not any(text in row for row in device["caches"]), [row[:120] for row in device["caches"]]


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_three_people_answer_at_a_kiosk_and_only_the_starter_ends_it(
    browser, live_server, survey, editor_user, settings, lang
):
    inspector = Inspector(journey=f"kiosk-{lang}")  # one set of screenshots per language
    for old in SCREENSHOTS.glob(f"kiosk-{lang}-*.png"):
        old.unlink()
    words = catalogue_words(lang)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # The editor starts the kiosk from the assessment's page, offering only `lang`.
    log_in(page, live_server.url, editor_user.email)
    page.goto(live_server.url + survey.assessment.get_absolute_url())
    page.get_by_role("link", name="Kiosk mode (a tablet at an event)").click()
    inspector.look(page, f"kiosk start {lang}")
    for code in survey.language_codes:
        page.locator(f"#kiosk-lang-{code}").set_checked(code == lang)
    page.get_by_role("button", name="Start kiosk mode and sign out").click()
    expect(page.locator("form[data-kiosk]")).to_be_visible()
    kiosk_url = page.url.split("?")[0]
    assert "/needs/s/kiosk/" in kiosk_url
    exit_link = page.locator(f'footer a[href="{kiosk_url.removeprefix(live_server.url)}exit/"]')
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== undefined")
    inspector.look(page, f"kiosk form {lang}")

    before = None
    for number, (_side, side_key, option, text) in enumerate(PEOPLE, start=1):
        _form_is_empty(page, survey)
        if before is not None:
            _nothing_left_of(page, before)
        page.get_by_label(words[side_key]).check()
        page.locator(f"input[name=q{survey.where.pk}]").nth(option).check()
        page.locator("textarea").fill(text)
        # The first thanks page waits long enough to be photographed, then counts down afresh.
        settings.SURVEY_KIOSK_COUNTDOWN_SECONDS = 60 if number == 1 else 2
        page.get_by_role("button", name=words["submit"]).click()

        expect(page.get_by_role("heading", name=words["thanks_title"])).to_be_visible()
        countdown = page.locator("#kiosk-countdown")
        expect(countdown).to_have_text(str(settings.SURVEY_KIOSK_COUNTDOWN_SECONDS))
        sentence = words["kiosk_next"].format(n=settings.SURVEY_KIOSK_COUNTDOWN_SECONDS)
        expect(page.locator("#kiosk-next-text")).to_have_text(sentence)
        if number == 1:
            inspector.look(page, f"kiosk thanks {lang}")
            settings.SURVEY_KIOSK_COUNTDOWN_SECONDS = 2
            page.reload()
        _nothing_left_of(page, text)
        # By itself, after the countdown: the kiosk's form again, empty, in its first language.
        if number == 2:  # the figure ticks down (the sentence keeps its one number)
            expect(countdown).to_have_text("1", timeout=5_000)
        page.wait_for_url(kiosk_url, timeout=8_000)
        _form_is_empty(page, survey)
        _nothing_left_of(page, text)
        assert Response.objects.count() == number
        before = text

    # Back from the fresh form shows no answers: the thanks page and the filled form are not in
    # history, and the staff page behind them asks for a sign-in.
    page.go_back()
    page.wait_for_load_state("load")
    for _side, _key, _option, text in PEOPLE:
        assert text not in page.content()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert "/needs/s/kiosk/" not in page.url or page.locator("textarea").input_value() == ""
    assert editor_user.email not in page.content()
    page.goto(kiosk_url)

    responses = Response.objects.order_by("pk")
    assert [r.channel for r in responses] == [Channel.KIOSK] * 3
    assert [r.side for r in responses] == [side for side, *_ in PEOPLE]
    assert [r.language for r in responses] == [lang] * 3
    texts = list(Answer.objects.filter(question=survey.other).order_by("response_id").values_list("text", flat=True))
    assert texts == [text for *_, text in PEOPLE]
    # No staff identity on an answer: a response has no link to a person at all.
    user_model = get_user_model()
    assert not [f for f in Response._meta.get_fields() if f.is_relation and f.related_model is user_model]
    assert not [f for f in Answer._meta.get_fields() if f.is_relation and f.related_model is user_model]

    # Ending the kiosk: the footer link, then the starter's password; a wrong one is refused.
    exit_link.click()
    expect(page.locator("#kiosk-password")).to_be_visible()
    # A staff page in the staff's words, left to right even at an Arabic kiosk, with no link to itself.
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert exit_link.count() == 0
    inspector.look(page, f"kiosk exit {lang}")
    page.locator("#kiosk-password").fill("not-the-password")
    page.get_by_role("button", name="End kiosk mode").click()
    expect(page.get_by_role("alert")).to_contain_text("not the password")
    inspector.look(page, f"kiosk exit refused {lang}")
    assert Kiosk.objects.get().ended_at is None
    page.goto(kiosk_url)
    expect(page.locator("form[data-kiosk]")).to_be_visible()  # still running

    exit_link.click()
    page.locator("#kiosk-password").fill(PASSWORD)
    page.get_by_role("button", name="End kiosk mode").click()
    expect(page.get_by_role("heading", name="Kiosk mode has ended")).to_be_visible()
    inspector.look(page, f"kiosk ended {lang}")
    assert Kiosk.objects.get().ended_at is not None
    assert not context.cookies() or all(c["name"] != "sessionid" for c in context.cookies())
    page.goto(kiosk_url)
    # The kiosk and its languages are gone: the closed page speaks the browser's language.
    expect(page.get_by_role("heading", name=catalogue_words("en")["closed_title"])).to_be_visible()
    assert Response.objects.count() == 3
    context.close()
    inspector.assert_clean()
