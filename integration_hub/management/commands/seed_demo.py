"""Demo data: a network office, two affiliates and one login per role.

Idempotent: running it again resets the demo passwords and adds nothing twice.
Each step app may ship `<app>/demo.py` with `seed(organization, people, today)`;
it is called for every demo affiliate and must be idempotent too.
"""

from importlib import import_module, util

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from integration_hub.models import Membership, Organization, Role
from integration_hub.steps import STEP_APPS, TOP_APPS

DEMO_PASSWORD = "welcome-demo-2026"  # noqa: S105 - demo only, printed on purpose

NETWORK = {"slug": "national-network", "name": "National Integration Network", "city": "Washington", "state": "DC"}
AFFILIATES = [
    {"slug": "riverside", "name": "Riverside Immigrant Services", "city": "Dayton", "state": "OH"},
    {"slug": "lakeshore", "name": "Lakeshore Community Legal Aid", "city": "Greensboro", "state": "NC"},
]
# (email, first, last, organisation slug, role)
PEOPLE = [
    ("admin@riverside.example", "Amara", "Okafor", "riverside", Role.ADMIN),
    ("staff@riverside.example", "Luis", "Hernández", "riverside", Role.EDITOR),
    ("board@riverside.example", "Margaret", "Keller", "riverside", Role.BOARD),
    ("admin@lakeshore.example", "Thu", "Nguyen", "lakeshore", Role.ADMIN),
    ("staff@lakeshore.example", "Daniel", "Brooks", "lakeshore", Role.EDITOR),
    ("network@network.example", "Grace", "Whitfield", "national-network", Role.EDITOR),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations, logins and sample data."

    @transaction.atomic
    def handle(self, *args, **options):
        organizations = {
            NETWORK["slug"]: self._organization(NETWORK, Organization.Kind.NETWORK),
            **{a["slug"]: self._organization(a, Organization.Kind.AFFILIATE) for a in AFFILIATES},
        }
        User = get_user_model()
        people = {}
        for email, first, last, slug, role in PEOPLE:
            user, _ = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.update_or_create(user=user, organization=organizations[slug], defaults={"role": role})
            people.setdefault(slug, {})[role] = user

        today = timezone.localdate()
        for affiliate in AFFILIATES:
            for app in (*STEP_APPS, *TOP_APPS):
                if util.find_spec(f"{app}.demo"):
                    import_module(f"{app}.demo").seed(
                        organizations[affiliate["slug"]], people[affiliate["slug"]], today
                    )

        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ with:"))
        for email, _first, _last, slug, role in PEOPLE:
            self.stdout.write(f"  {email:<28} {Role(role).label:<26} {organizations[slug].name}")
        self.stdout.write(f"  password for every demo login: {DEMO_PASSWORD}")

    def _organization(self, data, kind):
        organization, _ = Organization.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "city": data["city"], "state": data["state"], "kind": kind},
        )
        return organization
