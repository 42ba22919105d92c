import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import xlsform
from assessments.models import Consultation, Need, NeedsAssessment, Question
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


class SurveyTextForm(InputRulesMixin, forms.Form):
    """What respondents read before the first question and after the last, in each language."""

    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_es = forms.CharField(label=_("Title (Spanish, optional)"), max_length=200, required=False)
    intro_en = forms.CharField(
        label=_("Introduction (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    intro_es = forms.CharField(
        label=_("Introduction (Spanish, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    purpose_en = forms.CharField(
        label=_("Why you ask (English)"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown before the first question, under your organisation's name: what the answers are for, "
            "e.g. “To decide which classes and services we offer next year.”"
        ),
    )
    purpose_es = forms.CharField(
        label=_("Why you ask (Spanish, optional)"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_en = forms.CharField(
        label=_("Contact line (English)"),
        required=False,
        max_length=200,
        help_text=_(
            "How respondents can reach your organisation with a question, shown before the first question, "
            "e.g. “Call our front desk at (555) 010-2000, Monday to Friday.”"
        ),
    )
    contact_es = forms.CharField(label=_("Contact line (Spanish, optional)"), required=False, max_length=200)
    results_en = forms.CharField(
        label=_("Where results are shared (English)"),
        required=False,
        max_length=300,
        help_text=_(
            "Shown on the thank-you page, e.g. “At the community meeting at the library in June, and on our "
            "website.” The page adds that results only show groups of five or more people."
        ),
    )
    results_es = forms.CharField(
        label=_("Where results are shared (Spanish, optional)"), required=False, max_length=300
    )

    # Form field prefix → Survey field, each {"en": ..., "es": ...}.
    TEXTS = {
        "title": "title",
        "intro": "intro",
        "purpose": "purpose",
        "contact": "contact",
        "results": "results_shared",
    }

    def __init__(self, *args, survey=None, **kwargs):
        if survey is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f"{prefix}_{code}": getattr(survey, name).get(code, "")
                for prefix, name in self.TEXTS.items()
                for code in ("en", "es")
            }
            kwargs["initial"]["title_en"] = survey.title_in("en")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def texts(self) -> dict[str, dict]:
        c = self.cleaned_data
        return {name: _texts(c[f"{prefix}_en"], c[f"{prefix}_es"]) for prefix, name in self.TEXTS.items()}


def _texts(en: str, es: str) -> dict:
    return {k: v.strip() for k, v in (("en", en), ("es", es)) if v and v.strip()}


class QuestionForm(InputRulesMixin, forms.ModelForm):
    text_en = forms.CharField(label=_("Question (English)"), max_length=500)
    text_es = forms.CharField(label=_("Question (Spanish, optional)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help text (English, optional)"), max_length=500, required=False)
    help_es = forms.CharField(label=_("Help text (Spanish, optional)"), max_length=500, required=False)
    scale_low_en = forms.CharField(
        label=_("Words for 1 (English)"),
        max_length=60,
        required=False,
        help_text=_("For example “never”; the page shows “1 = never”. Empty: “not at all”."),
    )
    scale_low_es = forms.CharField(label=_("Words for 1 (Spanish)"), max_length=60, required=False)
    scale_high_en = forms.CharField(
        label=_("Words for 5 (English)"),
        max_length=60,
        required=False,
        help_text=_("For example “every week”. Empty: “very much”."),
    )
    scale_high_es = forms.CharField(label=_("Words for 5 (Spanish)"), max_length=60, required=False)

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

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and "initial" not in kwargs:
            kwargs["initial"] = {
                "text_en": instance.text.get("en", ""),
                "text_es": instance.text.get("es", ""),
                "help_en": instance.help_text.get("en", ""),
                "help_es": instance.help_text.get("es", ""),
                **{
                    f"scale_{end}_{language}": getattr(instance, f"scale_{end}").get(language, "")
                    for end in ("low", "high")
                    for language in ("en", "es")
                },
            }
        super().__init__(*args, **kwargs)
        self.order_fields(["text_en", "text_es", "kind", "required", "help_en", "help_es", "min_value", "max_value"])
        self.answered = bool(instance is not None and instance.pk and getattr(instance, "answer_count", 0))
        if self.answered:
            # Shown but not editable; a forged change is refused by question_update with a message.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("This question has answers, so its kind cannot change.")
            if instance.kind == Question.Kind.NUMBER:
                self.fields["min_value"].disabled = self.fields["max_value"].disabled = True

    def clean(self):
        cleaned = super().clean()
        for name in (
            "text_en",
            "text_es",
            "help_en",
            "help_es",
            "scale_low_en",
            "scale_low_es",
            "scale_high_en",
            "scale_high_es",
        ):
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
            text=_texts(c["text_en"], c["text_es"]),
            help_text=_texts(c["help_en"], c["help_es"]),
            scale_low=_texts(c["scale_low_en"], c["scale_low_es"]),
            scale_high=_texts(c["scale_high_en"], c["scale_high_es"]),
            required=c["required"],
            min_value=c["min_value"],
            max_value=c["max_value"],
            choices=choice_edits,
        )


FORBIDDEN = re.compile(r"\b(" + "|".join(re.escape(w) for w in QuestionForm.FORBIDDEN_WORDS) + ")", re.IGNORECASE)


class ChoiceForm(InputRulesMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label_en = forms.CharField(label=_("Option (English)"), max_length=200, required=False)
    label_es = forms.CharField(label=_("Option (Spanish)"), max_length=200, required=False)


class BaseChoiceFormSet(forms.BaseFormSet):
    def __init__(self, *args, question=None, **kwargs):
        self.question = question
        choices = list(question.choices.all()) if question is not None and question.pk else []
        self.existing = {c.pk: c for c in choices}
        if "initial" not in kwargs:
            kwargs["initial"] = [
                {"id": c.pk, "label_en": c.label.get("en", ""), "label_es": c.label.get("es", "")} for c in choices
            ]
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
            label = _texts(data.get("label_en", ""), data.get("label_es", ""))
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


ChoiceForm.clean_label_en = lambda self: _no_status_question(self.cleaned_data.get("label_en", ""))
ChoiceForm.clean_label_es = lambda self: _no_status_question(self.cleaned_data.get("label_es", ""))


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
        try:
            self.plan = xlsform.read_xlsform(upload.read())
        except xlsform.XLSFormError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
