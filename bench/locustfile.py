"""Simulated staff and board members for the load run (bench/load_run.py starts this
with `locust --headless`; it is not meant to be run on its own).

Each simulated user logs in as one real account of one affiliate (the plan file,
LOAD_PLAN, written by load_run.py, lists the accounts and each affiliate's own ids),
browses and edits, and checks every page it gets: its own organisation's name is
there, no other load affiliate's name is, and every link to an initiative,
stakeholder or indicator points at one of its own. It also asks for another
affiliate's objects and expects 404. Any breach is a failed request in locust's
figures and is counted in the summary file (LOAD_SUMMARY) written at the end.

Every write carries a token of its own (in the measurement's note, the engagement's
summary); the tokens of the writes the app acknowledged (its redirect) are listed in
the summary too, so the run can check each one is stored. With LOAD_FAILURE_LOG set
(bench/cluster.py), every failed request is also written there with its time, so the
run can count the failures around a host it kills; with LOAD_CONNECTION_CLOSE set, each
request opens a connection of its own.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
LINK = re.compile(r'href="/(initiatives|stakeholders|evaluation/indicators|evaluation/initiatives)/(\d+)/')
LINK_KIND = {
    "initiatives": "initiatives",
    "evaluation/initiatives": "initiatives",
    "stakeholders": "stakeholders",
    "evaluation/indicators": "indicators",
}
COUNTS: Counter = Counter()
ACKNOWLEDGED: dict[str, list[str]] = {"measurements": [], "engagements": []}
FAILURES: list[dict] = []
# Logging in is reported apart: its password hashing (50 users arriving within seconds on 2 cores)
# is the cost of a burst of logins, not of the pages; every other request's time is kept here.
LOGIN_NAMES = ("login page", "log in")
PAGE_TIMES: list[list[float]] = []  # [finished at (epoch s), ms], every request but logging in
LOGINS_DONE: list[float] = []  # when each login's POST came back (the burst's end is the last)
_staff_accounts = itertools.cycle(PLAN["staff"])
_board_accounts = itertools.cycle(PLAN["board"])


@events.quitting.add_listener
def _write_summary(environment, **_kwargs):
    with open(os.environ["LOAD_SUMMARY"], "w") as out:
        json.dump(
            {
                "counts": dict(COUNTS),
                "acknowledged": ACKNOWLEDGED,
                "page_times": PAGE_TIMES,
                "logins_done": LOGINS_DONE,
            },
            out,
        )
    if os.environ.get("LOAD_FAILURE_LOG"):
        with open(os.environ["LOAD_FAILURE_LOG"], "w") as out:
            json.dump(FAILURES, out)


@events.request.add_listener
def _record_failure(request_type, name, response_time=None, exception=None, **_kwargs):
    if response_time is not None:
        if name not in LOGIN_NAMES:
            PAGE_TIMES.append([round(time.time(), 3), round(response_time, 1)])
        elif name == "log in":
            LOGINS_DONE.append(round(time.time(), 3))
    if exception is not None and os.environ.get("LOAD_FAILURE_LOG"):
        FAILURES.append({"at": time.time(), "method": request_type, "name": name, "error": str(exception)[:200]})


def token() -> str:
    return uuid.uuid4().hex[:16]


class Member(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts = None

    def on_start(self):
        self.account = next(self.accounts)
        org = PLAN["organizations"][str(self.account["organization"])]
        self.org = org
        self.own = {kind: set(org[kind]) for kind in ("initiatives", "stakeholders", "indicators")}
        self.others = [o for key, o in PLAN["organizations"].items() if key != str(self.account["organization"])]
        if os.environ.get("LOAD_CONNECTION_CLOSE"):
            # bench/cluster.py: one connection per request, so its balancer spreads every
            # request over the web hosts (as an HTTP balancer would), not each user's
            # kept connection.
            self.client.headers["Connection"] = "close"
        for _attempt in range(3):
            # No answer at all (its web host died mid-login): try again, as a person would.
            self.client.get("/accounts/login/", name="login page")
            response = self.client.post(
                "/accounts/login/",
                {
                    "username": self.account["email"],
                    "password": PLAN["password"],
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                },
                name="log in",
                allow_redirects=False,
            )
            if response.status_code != 0:
                break
        if response.status_code != 302:
            raise RuntimeError(f"login failed for {self.account['email']}: {response.status_code}")

    # --- checks ------------------------------------------------------------------------------

    def page(self, url, name):
        """GET a page of one's own organisation and check it shows nothing of another's."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} {response.error or ''}".strip())
                return None
            html = response.text
            COUNTS["pages checked"] += 1
            problem = None
            if self.org["name"] not in html:
                problem = "own organisation's name missing"
            for other in self.others:
                if other["name"] in html:
                    problem = f"cross-tenant: {other['name']} shown"
                    COUNTS["cross-tenant reads"] += 1
            for prefix, pk in LINK.findall(html):
                COUNTS["links checked"] += 1
                if int(pk) not in self.own[LINK_KIND[prefix]]:
                    problem = f"cross-tenant: link to {prefix}/{pk}"
                    COUNTS["cross-tenant reads"] += 1
            if problem:
                response.failure(problem)
                return None
            return html

    def post(self, url, data, name, expect=(302,)):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(url, data, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code in expect:
                response.success()
                return True
            response.failure(f"status {response.status_code}, expected {expect} {response.error or ''}".strip())
            return False

    def probe_other_affiliate(self):
        """Another affiliate's objects answer 404, never their content."""
        other = random.choice(self.others)
        kind, url = random.choice(
            [
                ("initiatives", "/initiatives/{}/"),
                ("stakeholders", "/stakeholders/{}/"),
                ("indicators", "/evaluation/indicators/{}/"),
            ]
        )
        pk = random.choice(other[kind])
        with self.client.get(
            url.format(pk), name=f"another affiliate's {kind} (404 expected)", catch_response=True
        ) as r:
            COUNTS["other affiliates' objects asked for"] += 1
            if r.status_code == 404:
                r.success()
            else:
                COUNTS["cross-tenant reads"] += 1
                r.failure(f"cross-tenant: another affiliate's {kind} answered {r.status_code}")

    def open_initiative(self):
        pk = random.choice(self.org["initiatives"])
        self.page(f"/initiatives/{pk}/", "initiative")


class StaffMember(Member):
    weight = 3
    accounts = _staff_accounts

    @task(2)
    def home(self):
        self.page("/", "home")

    @task(3)
    def initiatives(self):
        self.page("/initiatives/", "initiative list")
        self.open_initiative()

    @task(2)
    def stakeholders(self):
        self.page("/stakeholders/", "stakeholder list")
        self.page(f"/stakeholders/{random.choice(self.org['stakeholders'])}/", "stakeholder")

    @task(2)
    def evaluation(self):
        self.page("/evaluation/", "evaluation")
        self.page(f"/evaluation/indicators/{random.choice(self.org['indicators'])}/", "indicator")

    @task(2)
    def record_a_measurement(self):
        pk = random.choice(self.org["indicators"])
        mark = token()
        data = {"date": self.org["today"], "value": f"{random.uniform(0, 100):.2f}", "note": f"load run {mark}"}
        if self.post(f"/evaluation/indicators/{pk}/measurements/new/", data, "record a measurement"):
            COUNTS["measurements recorded"] += 1
            ACKNOWLEDGED["measurements"].append(mark)

    @task(1)
    def log_an_engagement(self):
        mark = token()
        data = {
            "date": self.org["today"],
            "kind": "meeting",
            "stakeholders": [random.choice(self.org["stakeholders"])],
            "summary": f"Load run: talked about the library card drive. {mark}",
        }
        if self.post("/stakeholders/engagements/new/", data, "log an engagement"):
            COUNTS["engagements logged"] += 1
            ACKNOWLEDGED["engagements"].append(mark)

    @task(1)
    def toggle_a_task(self):
        self.post(f"/initiatives/tasks/{random.choice(self.org['tasks'])}/toggle/", {}, "tick a task")

    @task(1)
    def other_affiliate(self):
        self.probe_other_affiliate()


class BoardMember(Member):
    weight = 2
    accounts = _board_accounts

    @task(4)
    def dashboard(self):
        self.page("/evaluation/board/", "board dashboard")

    @task(1)
    def report(self):
        self.page("/evaluation/board/report/", "board report")

    @task(2)
    def initiatives(self):
        self.page("/initiatives/", "initiative list")
        self.open_initiative()

    @task(1)
    def cannot_edit(self):
        """Board members read; a write answers 403 and changes nothing."""
        pk = random.choice(self.org["indicators"])
        data = {"date": self.org["today"], "value": "1", "note": "board must not write"}
        self.post(f"/evaluation/indicators/{pk}/measurements/new/", data, "board write (403 expected)", expect=(403,))

    @task(1)
    def other_affiliate(self):
        self.probe_other_affiliate()
