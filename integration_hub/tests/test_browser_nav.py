"""In a real browser at 1280 px: the navigation stays on one line for every role, in English and Spanish."""

import pytest

from integration_hub.tests.support import client_for


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_navigation_is_one_line_at_1280_px(browser, live_server, people, organization, network_office, language):
    organization.name = "Riverside Immigrant and Refugee Services of the Miami Valley"
    organization.save()
    network_office.name = "National Integration Network Office"
    network_office.save()
    for role in ("editor", "board", "admin", "network"):
        client = client_for(people[role], organization if role != "network" else network_office)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies(
            [
                {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
                {"name": "django_language", "value": language, "url": live_server.url},
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + "/")
        height, overflow = page.evaluate(
            """() => [document.querySelector('nav.navbar').getBoundingClientRect().height,
                      document.querySelector('#org-menu').getBoundingClientRect().right
                      - document.querySelector('.navbar .container-xl').getBoundingClientRect().right]"""
        )
        context.close()
        assert height < 70, f"{role}: the navigation wrapped ({height}px high)"
        assert overflow <= 0, f"{role}: the organisation menu runs {overflow}px past the page"
