"""The registry of our apps: the four steps in the guidance's order, the apps built on top of
them, and the core with them.

Whatever walks every step (the home page, the API's routes, the demo seed, exports, the audit
trail, the privacy scans and the URL walks) reads these names, so a new step is added here once.
"""

STEP_APPS = ("assessments", "stakeholders", "initiatives", "evaluations")
# Apps built on top of the four steps (they read the steps; no step reads them).
TOP_APPS = ("plans",)
# Every app of ours: what exports, the audit trail and the privacy scans walk.
OUR_APPS = ("integration_hub", *STEP_APPS, *TOP_APPS)
