"""The built-in ideas' English text (migration 0003, from shared/ideas.md), marked so that
makemessages puts it in the catalogue: a built-in idea is shown in the reader's language.
Ideas that network staff write or publish are shown as they typed them."""

from django.utils.translation import gettext_noop

TEXTS = [
    gettext_noop("Municipal ID card for all residents"),
    gettext_noop(
        "A city ID any resident can get, usable for school enrolment, library cards, museums and opening bank accounts. Cities that run one include Cincinnati, Greensboro, New York and Phoenix; New York's has had over 600,000 holders and about 75 banks and credit unions accepting it."
    ),
    gettext_noop("Thank officials for welcoming policies"),
    gettext_noop(
        "Recognise leaders who back welcoming policies and share client stories of how those policies opened work, school and growth."
    ),
    gettext_noop("Community integration plan with local leaders"),
    gettext_noop(
        "Where no welcoming initiative exists, offer to draft an integration plan with city leaders and invite immigrant community leaders to shape it."
    ),
    gettext_noop("Community fundraiser for integration programs"),
    gettext_noop("Raise money locally so the city sees the community sharing the cost instead of carrying all of it."),
    gettext_noop("Leaders and police who speak against discrimination"),
    gettext_noop(
        "Cultivate officials and law-enforcement staff who acknowledge every side's concerns and speak out against discrimination and fear."
    ),
    gettext_noop("Community-wide day of kindness"),
    gettext_noop(
        "Ask the mayor or council to proclaim a day of service projects (tree planting, blankets for hospitals and shelters) that brings residents who rarely meet together."
    ),
    gettext_noop("Welcoming executive order"),
    gettext_noop(
        "Work with council and mayor on an executive order that publicly welcomes immigrants and celebrates diversity."
    ),
    gettext_noop("Protect the rights of all residents"),
    gettext_noop(
        "Policies that protect dignity and build trust so newcomers who fear deportation or rejection feel safe engaging."
    ),
    gettext_noop("Integration goals in the strategic plan"),
    gettext_noop("Put integration goals and objectives into the agency's strategic plan."),
    gettext_noop("Align integration with the mission statement"),
    gettext_noop("Tie integration explicitly to the agency's mission."),
    gettext_noop("Workforce that reflects the community"),
    gettext_noop("Hire staff who reflect the community served."),
    gettext_noop("Board that reflects the community"),
    gettext_noop("Recruit board members from the community served."),
    gettext_noop("Focus groups and round tables"),
    gettext_noop("Let newcomers and the receiving community tell the agency which services they need."),
    gettext_noop("Promote positive stories in the media"),
    gettext_noop("Pitch stories of new relationships between newcomers and long-time residents."),
    gettext_noop("Coffee and chat with sector leaders"),
    gettext_noop("An informal meeting for leaders from different sectors to get to know each other."),
    gettext_noop("Partnerships with established organisations"),
    gettext_noop("Partner with parishes, civic groups, Rotary clubs and others focused on integration."),
    gettext_noop("Leadership training for immigrants"),
    gettext_noop("Training and opportunities for newcomers to lead."),
    gettext_noop("Professional recertification and new-career skills"),
    gettext_noop("Help immigrants regain their profession in the U.S. or train for a new career."),
    gettext_noop("Events where both sides meet"),
    gettext_noop("Events where newcomers and the receiving community communicate and learn about each other."),
    gettext_noop("Voter registration at naturalisation ceremonies"),
    gettext_noop("Make registration widely available to new citizens, including at oath ceremonies."),
    gettext_noop("Bank accounts for DACA and other eligible clients"),
    gettext_noop("Help eligible clients open accounts and other financial products at a local bank."),
    gettext_noop("Invite leaders to citizenship classes"),
    gettext_noop("Invite the police chief or mayor to speak at citizenship classes and to community events."),
    gettext_noop("Cultural companion program"),
    gettext_noop(
        "A staff member (for instance the ESL teacher) visits a client at home to help them learn about the community and reach services."
    ),
    gettext_noop("Former clients return as volunteers"),
    gettext_noop("Invite former clients back to volunteer."),
    gettext_noop("Lunch and learn at workplaces"),
    gettext_noop("Short learning sessions at local workplaces."),
    gettext_noop("Multilingual library collections"),
    gettext_noop("Libraries with books and resources in languages other than English."),
    gettext_noop("Ask the community which workshops to run"),
    gettext_noop("Legal-service providers ask community members which presentation and workshop topics they want."),
    gettext_noop("Police and nonprofits welcome newcomers together"),
    gettext_noop("Law enforcement working with nonprofits to welcome newcomers."),
]
