"""No model or form anywhere asks about immigration or legal status.

Scans every field name and label of our models and forms; it runs
over apps added later too, so a new field that asks such a thing fails here.
"""

import inspect
import re
from importlib import import_module, util

from django import forms
from django.apps import apps

from integration_hub.steps import OUR_APPS

SENSITIVE = re.compile(
    r"immigra\w*[ _-]*status|legal[ _-]*status|(?<![a-z])visas?(?![a-z])|(?<![a-z])a-?number(?![a-z])|"
    r"(?<![a-z])alien|(?<![a-z])ssn(?![a-z])|social[ _-]*security|"
    r"undocumented|daca[ _-]*status|citizenship[ _-]*status|country[ _-]*of[ _-]*birth|birth[ _-]*country|"
    r"passport|green[ _-]*card|asylum|documents[ _-]*held|deport",
    re.IGNORECASE,
)
# (model or form label, field name) pairs that match only by accident; none yet.
ALLOWED: set[tuple[str, str]] = set()


def _texts(name, field):
    # Names and labels: a help text may well say "we never ask immigration status".
    for attr in ("verbose_name", "label"):
        value = getattr(field, attr, None)
        if value:
            yield str(value)
    yield name


def _model_fields():
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            for field in model._meta.get_fields():
                if hasattr(field, "verbose_name"):
                    yield (model._meta.label, field.name), list(_texts(field.name, field))


def _form_fields():
    for app in OUR_APPS:
        if not util.find_spec(f"{app}.forms"):
            continue
        for _, form in inspect.getmembers(import_module(f"{app}.forms"), inspect.isclass):
            if issubclass(form, forms.BaseForm) and hasattr(form, "base_fields"):
                for name, field in form.base_fields.items():
                    yield (f"{app}.{form.__name__}", name), list(_texts(name, field))


def _findings(fields):
    return [key for key, texts in fields if key not in ALLOWED and any(SENSITIVE.search(t) for t in texts)]


def test_the_pattern_catches_what_it_should():
    for text in ("Immigration status", "visa_type", "A-Number", "SSN", "Country of birth", "undocumented"):
        assert SENSITIVE.search(text), text
    for text in ("Initiative status", "Need status", "Stance", "Side of the community", "Notes", "a number of people"):
        assert not SENSITIVE.search(text), text


def test_the_scan_reaches_models_and_forms_of_every_app():
    scanned = {key for key, _ in [*_model_fields(), *_form_fields()]}
    assert ("integration_hub.User", "email") in scanned
    assert ("integration_hub.InvitationForm", "email") in scanned
    assert {label.split(".")[0] for label, _ in scanned} >= {"integration_hub", "assessments", "stakeholders"}


def test_no_model_field_asks_immigration_or_legal_status():
    assert _findings(_model_fields()) == []


def test_no_form_field_asks_immigration_or_legal_status():
    assert _findings(_form_fields()) == []
