"""The registry of our apps: the four steps in the guidance's order, and the core with them.

Whatever walks every step (the home page, the API's routes, the demo seed, exports, the audit
trail, the privacy scans and the URL walks) reads these names, so a new step is added here once.
"""

STEP_APPS = ("assessments", "stakeholders", "initiatives", "evaluations")
# Every app of ours (core + steps): what exports, the audit trail and the privacy scans walk.
OUR_APPS = ("integration_hub", *STEP_APPS)
