"""The built-in idea library, from the network's guidance (shared/ideas.md).

The rows are written out here rather than imported, so this migration keeps
meaning the same thing whatever later code does. Welcoming Standard tags are
the ones suggested at the end of ideas.md.
"""

from django.db import migrations

# (title, category, Welcoming Standard tag, audience, description)
IDEAS = [
    # Working with local government
    ("Municipal ID card for all residents", "access_to_services", "equitable_access", "local_government",
     "A city ID any resident can get, usable for school enrolment, library cards, museums and opening bank "
     "accounts. Cities that run one include Cincinnati, Greensboro, New York and Phoenix; New York's has had "
     "over 600,000 holders and about 75 banks and credit unions accepting it."),
    ("Thank officials for welcoming policies", "civic_engagement", "government_leadership", "local_government",
     "Recognise leaders who back welcoming policies and share client stories of how those policies opened "
     "work, school and growth."),
    ("Community integration plan with local leaders", "planning", "government_leadership", "local_government",
     "Where no welcoming initiative exists, offer to draft an integration plan with city leaders and invite "
     "immigrant community leaders to shape it."),
    ("Community fundraiser for integration programs", "funding", "economic_development", "local_government",
     "Raise money locally so the city sees the community sharing the cost instead of carrying all of it."),
    ("Leaders and police who speak against discrimination", "safety_and_trust", "safe_communities",
     "local_government",
     "Cultivate officials and law-enforcement staff who acknowledge every side's concerns and speak out "
     "against discrimination and fear."),
    ("Community-wide day of kindness", "connected_communities", "connected_communities", "local_government",
     "Ask the mayor or council to proclaim a day of service projects (tree planting, blankets for hospitals "
     "and shelters) that brings residents who rarely meet together."),
    ("Welcoming executive order", "government_leadership", "government_leadership", "local_government",
     "Work with council and mayor on an executive order that publicly welcomes immigrants and celebrates "
     "diversity."),
    ("Protect the rights of all residents", "safety_and_trust", "safe_communities", "local_government",
     "Policies that protect dignity and build trust so newcomers who fear deportation or rejection feel safe "
     "engaging."),
    # For the agency
    ("Integration goals in the strategic plan", "planning", "government_leadership", "agency",
     "Put integration goals and objectives into the agency's strategic plan."),
    ("Align integration with the mission statement", "planning", "government_leadership", "agency",
     "Tie integration explicitly to the agency's mission."),
    ("Workforce that reflects the community", "equitable_organisation", "economic_development", "agency",
     "Hire staff who reflect the community served."),
    ("Board that reflects the community", "equitable_organisation", "economic_development", "agency",
     "Recruit board members from the community served."),
    ("Focus groups and round tables", "needs_assessment", "civic_engagement", "agency",
     "Let newcomers and the receiving community tell the agency which services they need."),
    ("Promote positive stories in the media", "communications", "connected_communities", "agency",
     "Pitch stories of new relationships between newcomers and long-time residents."),
    ("Coffee and chat with sector leaders", "stakeholder_buy_in", "connected_communities", "agency",
     "An informal meeting for leaders from different sectors to get to know each other."),
    ("Partnerships with established organisations", "stakeholder_buy_in", "connected_communities", "agency",
     "Partner with parishes, civic groups, Rotary clubs and others focused on integration."),
    # For programs
    ("Leadership training for immigrants", "leadership", "education", "program",
     "Training and opportunities for newcomers to lead."),
    ("Professional recertification and new-career skills", "economic", "economic_development", "program",
     "Help immigrants regain their profession in the U.S. or train for a new career."),
    ("Events where both sides meet", "connected_communities", "connected_communities", "program",
     "Events where newcomers and the receiving community communicate and learn about each other."),
    ("Voter registration at naturalisation ceremonies", "civic_engagement", "civic_engagement", "program",
     "Make registration widely available to new citizens, including at oath ceremonies."),
    ("Bank accounts for DACA and other eligible clients", "economic", "economic_development", "program",
     "Help eligible clients open accounts and other financial products at a local bank."),
    ("Invite leaders to citizenship classes", "civic_engagement", "civic_engagement", "program",
     "Invite the police chief or mayor to speak at citizenship classes and to community events."),
    ("Cultural companion program", "access_to_services", "equitable_access", "program",
     "A staff member (for instance the ESL teacher) visits a client at home to help them learn about the "
     "community and reach services."),
    ("Former clients return as volunteers", "civic_engagement", "civic_engagement", "program",
     "Invite former clients back to volunteer."),
    ("Lunch and learn at workplaces", "connected_communities", "connected_communities", "program",
     "Short learning sessions at local workplaces."),
    ("Multilingual library collections", "access_to_services", "equitable_access", "program",
     "Libraries with books and resources in languages other than English."),
    ("Ask the community which workshops to run", "needs_assessment", "civic_engagement", "program",
     "Legal-service providers ask community members which presentation and workshop topics they want."),
    ("Police and nonprofits welcome newcomers together", "safety_and_trust", "safe_communities", "program",
     "Law enforcement working with nonprofits to welcome newcomers."),
]  # fmt: skip


def seed(apps, schema_editor):
    Idea = apps.get_model("initiatives", "Idea")
    for title, category, standard, audience, description in IDEAS:
        Idea.objects.update_or_create(
            title=title,
            defaults={
                "category": category,
                "welcoming_standard": standard,
                "audience": audience,
                "description": description,
                "is_builtin": True,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("initiatives", "Idea").objects.filter(is_builtin=True, title__in=[i[0] for i in IDEAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_idea_library_and_initiative_details")]

    operations = [migrations.RunPython(seed, unseed)]
