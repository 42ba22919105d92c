import pytest
from django.conf import settings
from django.urls import reverse

from integration_hub.tests.support import client_for
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import StakeholderFactory


def _log_in(page, live_server, user):
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_thank_you_copy_button_appears_with_javascript_and_reports_the_copy(
    page, live_server, organization, editor_user
):
    stakeholder = StakeholderFactory(organization=organization, name="Helen Park", stance=Stakeholder.Stance.CHAMPION)
    _log_in(page, live_server, editor_user)
    page.goto(live_server.url + reverse("stakeholders:thank_you", args=[stakeholder.pk]))
    assert "Dear" in page.input_value("#letter")
    page.fill("#letter", "Dear Helen, thank you.")
    button = page.locator("[data-copy-target]")
    assert button.is_visible()
    assert not page.locator("[data-copy-hint]").is_visible()
    button.click()
    status = page.locator("[data-copy-status]")
    status.wait_for()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent.length > 0")
    assert "Copied" in status.text_content() or "Ctrl+C" in status.text_content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_letter_can_still_be_selected_by_hand(browser, live_server, organization, editor_user):
    stakeholder = StakeholderFactory(organization=organization, name="Helen Park", stance=Stakeholder.Stance.CHAMPION)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server, editor_user)
    page.goto(live_server.url + reverse("stakeholders:thank_you", args=[stakeholder.pk]))
    assert page.locator("[data-copy-hint]").is_visible()
    assert not page.locator("[data-copy-target]").is_visible()
    context.close()
