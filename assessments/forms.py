import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import xlsform
from assessments.languages import DEFAULT_LANGUAGE, LANGUAGES, survey_languages
from assessments.models import Consultation, Need, NeedsAssessment, Question, default_survey_languages
from assessments.services import ChoiceEdit, QuestionData
from integration_hub.forms import OrganizationFormMixin
from integration_hub.inputs import InputRulesMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = ["title", "area_served", "period_start", "period_end", "status", "owner", "description"]
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "status": _("The public survey link takes answers only while the status is “Collecting answers”."),
            "period_end": _("The survey page tells respondents that answers are collected until this date."),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return cleaned


def suffix(code: str) -> str:
    """A language code as part of a field name: zh-hans → zh_hans."""
    return code.replace("-", "_")


def wording_label(text, language, *, optional=True) -> str:
    if language.code == DEFAULT_LANGUAGE:
        return _("%(text)s (English)") % {"text": text}
    template = _("%(text)s (%(language)s, optional)") if optional else _("%(text)s (%(language)s)")
    return template % {"text": text, "language": language.english_name}


def wording_field(language, *, label, max_length, required=False, textarea=False, help_text=""):
    """A text field for one language's wording; its input reads in that language and direction."""
    attrs = {"lang": language.html_lang, "dir": language.direction}
    widget = forms.Textarea(attrs={"rows": 3, **attrs}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        help_text=help_text if language.code == DEFAULT_LANGUAGE else "",
    )


def wording_from(cleaned: dict, prefix: str, languages) -> dict:
    """{"en": ..., "ar": ...} from the form's fields for `prefix`, empty texts left out."""
    texts = {}
    for language in languages:
        value = (cleaned.get(f"{prefix}_{suffix(language.code)}") or "").strip()
        if value:
            texts[language.code] = value
    return texts


class WordingFieldsMixin:
    """Adds one field per language for each wording (WORDINGS: prefix → label, max length, kind)."""

    WORDINGS: dict = {}

    def add_wording_fields(self, languages, *, values=None):
        self.languages = list(languages)
        values = values or {}
        for prefix, spec in self.WORDINGS.items():
            for language in self.languages:
                name = f"{prefix}_{suffix(language.code)}"
                required = spec.get("required", False) and language.code == DEFAULT_LANGUAGE
                self.fields[name] = wording_field(
                    language,
                    # Only English is ever required; every other language says it is optional.
                    label=wording_label(spec["label"], language, optional=not required),
                    max_length=spec["max_length"],
                    required=required,
                    textarea=spec.get("textarea", False),
                    help_text=spec.get("help_text", ""),
                )
                if prefix in values:
                    self.initial.setdefault(name, (values[prefix] or {}).get(language.code, ""))

    def wording_fields(self, prefix):
        """(language, bound field) for each of the survey's languages, English first."""
        return [(language, self[f"{prefix}_{suffix(language.code)}"]) for language in self.languages]

    @property
    def text_fields(self):
        return self.wording_fields("text")

    @property
    def help_fields(self):
        return self.wording_fields("help")

    @property
    def scale_fields(self):
        return self.wording_fields("scale_low") + self.wording_fields("scale_high")

    @property
    def label_fields(self):
        return self.wording_fields("label")

    def wording_names(self):
        return [f"{prefix}_{suffix(language.code)}" for prefix in self.WORDINGS for language in self.languages]


class SurveyTextForm(WordingFieldsMixin, InputRulesMixin, forms.Form):
    """What respondents read before the first question and after the last, in each language."""

    WORDINGS = {
        "title": {"label": _("Title"), "max_length": 200, "required": True},
        "intro": {"label": _("Introduction"), "max_length": 2000, "textarea": True},
        "purpose": {
            "label": _("Why you ask"),
            "max_length": 600,
            "textarea": True,
            "help_text": _(
                "Shown before the first question, under your organisation's name: what the answers are for, "
                "e.g. “To decide which classes and services we offer next year.”"
            ),
        },
        "contact": {
            "label": _("Contact line"),
            "max_length": 200,
            "help_text": _(
                "How respondents can reach your organisation with a question, shown before the first question, "
                "e.g. “Call our front desk at (555) 010-2000, Monday to Friday.”"
            ),
        },
        "results": {
            "label": _("Where results are shared"),
            "max_length": 300,
            "help_text": _(
                "Shown on the thank-you page, e.g. “At the community meeting at the library in June, and on our "
                "website.” The page adds that results only show groups of five or more people."
            ),
        },
    }
    # Form field prefix → Survey field, each {"en": ..., "ar": ...}.
    TEXTS = {
        "title": "title",
        "intro": "intro",
        "purpose": "purpose",
        "contact": "contact",
        "results": "results_shared",
    }

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        languages = survey.language_list if survey is not None else survey_languages(default_survey_languages())
        values = {prefix: getattr(survey, name) for prefix, name in self.TEXTS.items()} if survey else {}
        self.add_wording_fields(languages, values=values)
        if survey is not None:
            self.initial["title_en"] = survey.title_in("en")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def texts(self) -> dict[str, dict]:
        return {name: wording_from(self.cleaned_data, prefix, self.languages) for prefix, name in self.TEXTS.items()}


class SurveyLanguagesForm(forms.Form):
    """The languages a survey is offered in, besides English (always offered, the fallback)."""

    languages = forms.MultipleChoiceField(
        label=_("Languages besides English"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, survey=None, **kwargs):
        if survey is not None and "initial" not in kwargs:
            kwargs["initial"] = {"languages": [code for code in survey.language_codes if code != DEFAULT_LANGUAGE]}
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = [
            (language.code, f"{language.english_name} — {language.name}")
            for language in LANGUAGES
            if language.code != DEFAULT_LANGUAGE
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False


class QuestionForm(WordingFieldsMixin, InputRulesMixin, forms.ModelForm):
    WORDINGS = {
        "text": {"label": _("Question"), "max_length": 500, "required": True},
        "help": {"label": _("Help text"), "max_length": 500},
        "scale_low": {
            "label": _("Words for 1"),
            "max_length": 60,
            "help_text": _("For example “never”; the page shows “1 = never”. Empty: “not at all”."),
        },
        "scale_high": {
            "label": _("Words for 5"),
            "max_length": 60,
            "help_text": _("For example “every week”. Empty: “very much”."),
        },
    }
    # Form field prefix → Question field.
    TEXTS = {"text": "text", "help": "help_text", "scale_low": "scale_low", "scale_high": "scale_high"}

    # Words a question must never use: the survey never asks anyone's immigration or legal status.
    FORBIDDEN_WORDS = (
        "immigration status",
        "legal status",
        "undocumented",
        "visa",
        "green card",
        "a-number",
        "social security",
        "ssn",
        "daca",
        "papers",
        "citizenship status",
        "situación migratoria",
        "estatus migratorio",
        "indocumentad",
        "papeles",
    )

    class Meta:
        model = Question
        fields = ["kind", "required", "min_value", "max_value"]
        help_texts = {
            "min_value": _("Only for “Number” questions."),
            "max_value": _("Only for “Number” questions."),
        }

    def __init__(self, *args, languages=None, **kwargs):
        instance = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        languages = languages if languages is not None else survey_languages(default_survey_languages())
        editing = instance is not None and instance.pk
        values = {prefix: getattr(instance, name) for prefix, name in self.TEXTS.items()} if editing else {}
        self.add_wording_fields(languages, values=values)
        self.answered = bool(instance is not None and instance.pk and getattr(instance, "answer_count", 0))
        if self.answered:
            # Shown but not editable; a forged change is refused by question_update with a message.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("This question has answers, so its kind cannot change.")
            if instance.kind == Question.Kind.NUMBER:
                self.fields["min_value"].disabled = self.fields["max_value"].disabled = True

    def clean(self):
        cleaned = super().clean()
        for name in self.wording_names():
            if FORBIDDEN.search(cleaned.get(name) or ""):
                self.add_error(
                    name,
                    _(
                        "Surveys never ask about immigration or legal status, documents or ID numbers: "
                        "asking could put respondents at risk. Please reword the question."
                    ),
                )
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and high < low:
            self.add_error("max_value", _("The largest number cannot be smaller than the smallest."))
        return cleaned

    def question_data(self, choice_edits: list[ChoiceEdit]) -> QuestionData:
        c = self.cleaned_data
        return QuestionData(
            kind=c["kind"],
            text=wording_from(c, "text", self.languages),
            help_text=wording_from(c, "help", self.languages),
            scale_low=wording_from(c, "scale_low", self.languages),
            scale_high=wording_from(c, "scale_high", self.languages),
            required=c["required"],
            min_value=c["min_value"],
            max_value=c["max_value"],
            choices=choice_edits,
        )


FORBIDDEN = re.compile(r"\b(" + "|".join(re.escape(w) for w in QuestionForm.FORBIDDEN_WORDS) + ")", re.IGNORECASE)


class ChoiceForm(WordingFieldsMixin, InputRulesMixin, forms.Form):
    WORDINGS = {"label": {"label": _("Option"), "max_length": 200}}

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_wording_fields(languages if languages is not None else survey_languages(default_survey_languages()))

    def clean(self):
        cleaned = super().clean()
        for name in self.wording_names():
            try:
                _no_status_question(cleaned.get(name) or "")
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class BaseChoiceFormSet(forms.BaseFormSet):
    def __init__(self, *args, question=None, languages=None, **kwargs):
        self.question = question
        self.languages = list(languages if languages is not None else survey_languages(default_survey_languages()))
        choices = list(question.choices.all()) if question is not None and question.pk else []
        self.existing = {c.pk: c for c in choices}
        if "initial" not in kwargs:
            kwargs["initial"] = [
                {"id": c.pk, **{f"label_{suffix(lang.code)}": c.label.get(lang.code, "") for lang in self.languages}}
                for c in choices
            ]
        kwargs.setdefault("form_kwargs", {})["languages"] = self.languages
        super().__init__(*args, **kwargs)
        for form in self.forms:
            choice = self.existing.get(form.initial.get("id"))
            form.answer_count = getattr(choice, "answer_count", 0) if choice else 0

    def clean(self):
        super().clean()
        for form in self.forms:
            pk = form.cleaned_data.get("id")
            if pk and pk not in self.existing:
                # An id from another question (or organisation) is never editable here.
                raise forms.ValidationError(_("One of the options does not belong to this question."))

    def choice_edits(self) -> list[ChoiceEdit]:
        edits = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            choice = self.existing.get(data.get("id"))
            label = wording_from(data, "label", self.languages)
            delete = bool(data.get("DELETE")) or (choice is not None and not label.get("en"))
            edits.append(ChoiceEdit(label=label, choice=choice, delete=delete))
        return edits


ChoiceFormSet = forms.formset_factory(ChoiceForm, formset=BaseChoiceFormSet, extra=3, can_delete=True, max_num=30)


class ConsultationForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "kind",
            "held_on",
            "assessment",
            "facilitator",
            "newcomer_participants",
            "resident_participants",
            "languages",
            "key_points",
            "notes",
        ]
        widgets = {
            "held_on": DATE_INPUT,
            "key_points": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }


class NeedForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Need
        fields = [
            "title",
            "category",
            "priority",
            "status",
            "description",
            "assessment",
            "evidence_questions",
            "evidence_consultations",
            "evidence_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence_notes": forms.Textarea(attrs={"rows": 3}),
            "evidence_questions": forms.CheckboxSelectMultiple,
            "evidence_consultations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = self.fields["evidence_questions"]
        questions.queryset = (
            questions.queryset.exclude(kind__in=Question.DISPLAY_KINDS)
            .select_related("survey__assessment")
            .order_by("survey__assessment__title", "position")
        )
        questions.label_from_instance = lambda q: f"{q.survey.assessment.title}: {q.text_in('en')}"
        consultations = self.fields["evidence_consultations"]
        consultations.label_from_instance = lambda c: f"{c.title} ({c.held_on:%b %d, %Y})"


def _no_status_question(value: str) -> str:
    if FORBIDDEN.search(value or ""):
        raise forms.ValidationError(
            _(
                "Surveys never ask about immigration or legal status, documents or ID numbers. Please reword this option."
            )
        )
    return value


class XLSFormUploadForm(InputRulesMixin, forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_("A questionnaire from ODK, KoBoToolbox or Enketo saved as .xlsx, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > xlsform.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 5 MB.") % {"size": upload.size / 1024 / 1024}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Please upload an .xlsx file (in a spreadsheet: File → Save as → Excel Workbook).")
            )
        data = upload.read()
        try:
            xlsform.check_archive(data)  # its sheets are read by the import's background job
        except xlsform.XLSFormError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["data"] = data
        return upload


class PublicWordingForm(InputRulesMixin, forms.Form):
    """An organisation's own words for the public page in one language; empty keeps the catalogue's."""

    def __init__(self, *args, language, catalogue: dict, english: dict, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        for key, text in catalogue.items():
            self.fields[key] = forms.CharField(
                label=english[key],
                required=False,
                max_length=600,
                widget=forms.TextInput(
                    attrs={"lang": language.html_lang, "dir": language.direction, "placeholder": text}
                ),
                initial=current.get(key, ""),
            )
            self.fields[key].catalogue_text = text

    def rows(self):
        return [(self[key], self.fields[key].catalogue_text) for key in self.fields]
