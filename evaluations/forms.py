"""Forms for step 4: validation only, with messages a person can act on."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    MAX_REMINDER_LEAD_DAYS,
    EvaluationReview,
    Indicator,
    Measurement,
    ReviewSchedule,
    SharedIndicator,
)
from integration_hub.forms import OrganizationFormMixin
from integration_hub.inputs import CsvProblem, csv_records, header_key, header_names
from integration_hub.listing import csv_unguard

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IndicatorForm(OrganizationFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name", "unit", "concerns", "direction", "baseline_value", "baseline_date",
            "target_value", "target_date", "data_source",
        ]  # fmt: skip
        widgets = {"baseline_date": DateInput(), "target_date": DateInput()}
        help_texts = {
            "name": _("What you count, e.g. “Bank accounts opened by newcomers”."),
            "direction": _("Increase: more is better. Decrease: less is better (e.g. wait time)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.shared_indicator_id:
            # The network's definition: shown, not editable here (a posted value is ignored).
            for name in ("name", "unit", "direction", "concerns"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the network's shared indicator.")

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline_value"), cleaned.get("target_value")
        baseline_date, target_date = cleaned.get("baseline_date"), cleaned.get("target_date")
        direction = cleaned.get("direction")
        if baseline is not None and target is not None:
            if target == baseline:
                self.add_error(
                    "target_value",
                    _(
                        "The target equals the baseline, so there would be no progress to measure. Choose another target."
                    ),
                )
            elif direction == Indicator.Direction.INCREASE and target < baseline:
                self.add_error("target_value", _("For an increase, the target must be above the baseline."))
            elif direction == Indicator.Direction.DECREASE and target > baseline:
                self.add_error("target_value", _("For a decrease, the target must be below the baseline."))
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error("target_date", _("The target date must come after the baseline date."))
        return cleaned


def _check_measurement_date(indicator: Indicator, value: date) -> None:
    if value < indicator.baseline_date:
        raise forms.ValidationError(
            _("%(date)s is before the baseline date of “%(indicator)s” (%(baseline)s)."),
            params={"date": value.isoformat(), "indicator": indicator.name, "baseline": indicator.baseline_date},
        )
    if value > timezone.localdate():
        raise forms.ValidationError(_("%(date)s is in the future."), params={"date": value.isoformat()})


class MeasurementForm(OrganizationFormMixin, forms.ModelForm):
    submit_label = _("Record measurement")

    class Meta:
        model = Measurement
        fields = ["date", "value", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_date(self):
        value = self.cleaned_data["date"]
        _check_measurement_date(self.indicator, value)
        return value


class QuickEntryForm(OrganizationFormMixin, forms.Form):
    """One date, one optional value per indicator of an initiative."""

    submit_label = _("Record values")
    date = forms.DateField(label=_("Date of the values"), widget=DateInput())
    note = forms.CharField(label=_("Note for all values"), max_length=300, required=False)

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.get_unit_display().lower()})",
                max_digits=14,
                decimal_places=2,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("date")
        rows = []
        for indicator in self.indicators:
            value = cleaned.get(f"indicator_{indicator.pk}")
            if value is None:
                continue
            if when:
                try:
                    _check_measurement_date(indicator, when)
                except forms.ValidationError as error:
                    self.add_error(f"indicator_{indicator.pk}", error)
                    continue
            rows.append((indicator, when, value, cleaned.get("note", "")))
        if not rows and not self.errors:
            raise forms.ValidationError(_("Enter at least one value."))
        cleaned["rows"] = rows
        return cleaned


MEASUREMENT_COLUMNS = ("indicator", "date", "value", "note")


def _measurement_columns(first: list[str]) -> tuple[list[str | None], list[str]]:
    """The header's columns (None for one not read) and the names of those ignored."""
    aliases = header_names(MEASUREMENT_COLUMNS)
    columns = [aliases.get(header_key(cell)) for cell in first]
    ignored = [cell.strip() for cell, c in zip(first, columns, strict=True) if not c and cell.strip()]
    return columns, ignored


def _header_problem(first: list[str], columns: list[str | None]) -> str:
    missing = [c for c in ("indicator", "date", "value") if c not in columns]
    if missing:
        found = ", ".join(cell.strip() for cell in first)
        return _("Line 1: the header must name indicator, date and value (found: %s).") % found
    return ""


def measurement_csv_text(upload) -> str:
    """The upload's text, checked cheaply before the import is queued: at most 1 MB, UTF-8 (with or
    without BOM), a header naming indicator, date and value. Raises ValidationError."""
    if upload.size > MAX_IMPORT_BYTES:
        raise forms.ValidationError(_("The file is larger than 1 MB; split it into smaller files."))
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from None
    try:
        _line, first = next(csv_records(text), (1, []))
    except CsvProblem as problem:
        raise forms.ValidationError(
            _("Line %(line)s: %(problem)s") % {"line": problem.line, "problem": problem.message}
        ) from None
    columns, _ignored = _measurement_columns(first)
    problem = _header_problem(first, columns)
    if problem:
        raise forms.ValidationError(problem)
    return text


def parse_measurements(text: str, indicators: list[Indicator], progress=None):
    """Every line of a measurement CSV checked, nothing saved: ([(indicator, date, value, note or
    None when the file has no note column)], [errors naming their line], [ignored column names])."""
    by_name = {i.name.strip().lower(): i for i in indicators}
    records = csv_records(text)
    rows: list = []
    errors: list[str] = []
    ignored: list[str] = []
    first_line: dict = {}
    total = max(text.count("\n"), 1)
    try:
        _line, first = next(records, (1, []))
        columns, ignored = _measurement_columns(first)
        problem = _header_problem(first, columns)
        if problem:
            return [], [problem], ignored
        where = {c: columns.index(c) for c in MEASUREMENT_COLUMNS if c in columns}
        for line, record in records:
            if progress and line % 500 == 0:
                progress(min(line, total), total)
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(errors) >= MAX_IMPORT_ROWS:
                errors.append(_("Line %(line)s: more than %(max)s rows.") % {"line": line, "max": MAX_IMPORT_ROWS})
                break
            problem, row = _measurement_row(record, where, by_name)
            if not problem:
                key = (row[0].pk, row[1])
                if key in first_line:  # two values for one day: which is right is the person's call
                    problem = _("%(indicator)s on %(date)s is already on line %(first)s.") % {
                        "indicator": row[0].name,
                        "date": row[1].isoformat(),
                        "first": first_line[key],
                    }
                first_line.setdefault(key, line)
            if problem:
                errors.append(_("Line %(line)s: %(problem)s") % {"line": line, "problem": problem})
            else:
                rows.append(row)
    except CsvProblem as problem:
        errors.append(_("Line %(line)s: %(problem)s") % {"line": problem.line, "problem": problem.message})
    if not rows and not errors:
        errors.append(_("The file has no measurements."))
    return rows, errors, ignored


def _measurement_row(record, where, indicators):
    cells = [csv_unguard(c.strip()) for c in record]

    def cell(column):
        index = where.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    name, raw_date, raw_value = cell("indicator"), cell("date"), cell("value")
    note = cell("note")[:300] if "note" in where else None
    indicator = indicators.get(name.lower())
    if indicator is None:
        return _("“%(name)s” is not an indicator of this initiative.") % {"name": name}, None
    try:
        when = date.fromisoformat(raw_date)
    except ValueError:
        return _("“%(value)s” is not a date like 2025-03-31.") % {"value": raw_date}, None
    try:
        value = Decimal(raw_value.replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return _("“%(value)s” is not a number.") % {"value": raw_value}, None
    if abs(value) >= Decimal("1e12"):
        return _("%(value)s is too large.") % {"value": raw_value}, None
    try:
        _check_measurement_date(indicator, when)
    except forms.ValidationError as error:
        return error.messages[0], None
    return None, (indicator, when, value.quantize(Decimal("0.01")), note)


class MeasurementImportForm(OrganizationFormMixin, forms.Form):
    """CSV with a header row naming indicator, date, value[, note] (any order, English or
    Spanish, other columns ignored). The request checks the file's shape (cheap); every line is
    checked by the import's background job (services.measurements_import_job), all or nothing."""

    submit_label = _("Import")
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: indicator, date (YYYY-MM-DD), value, note (optional), in English or Spanish; "
            "other columns are ignored. The first row is the header."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["text"] = measurement_csv_text(upload)
        return upload


class ReviewScheduleForm(OrganizationFormMixin, forms.ModelForm):
    submit_label = _("Save schedule")

    class Meta:
        model = ReviewSchedule
        fields = ["every", "period", "start_date", "reviewers", "reminder_lead_days"]
        widgets = {"start_date": DateInput(), "reviewers": forms.CheckboxSelectMultiple}
        help_texts = {
            "every": _("E.g. every 3 months."),
            "reviewers": _("Members who take part and get reminder emails (unless they turned them off)."),
        }

    def clean_every(self):
        every = self.cleaned_data["every"]
        if every < 1:
            raise forms.ValidationError(
                _("A review every 0 %(period)s is not a schedule. Choose 1 or more."),
                params={"period": self.data.get("period") or _("weeks")},
            )
        return every

    def clean_reminder_lead_days(self):
        days = self.cleaned_data["reminder_lead_days"]
        if days > MAX_REMINDER_LEAD_DAYS:
            raise forms.ValidationError(_("Remind at most %(max)s days ahead."), params={"max": MAX_REMINDER_LEAD_DAYS})
        return days


class ReviewHoldForm(OrganizationFormMixin, forms.ModelForm):
    submit_label = _("Record the review")

    class Meta:
        model = EvaluationReview
        fields = [
            "held_on", "attendees", "findings", "feedback_newcomers", "feedback_receiving", "decisions", "next_steps",
        ]  # fmt: skip
        widgets = {
            "held_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "attendees",
                    "findings",
                    "feedback_newcomers",
                    "feedback_receiving",
                    "decisions",
                    "next_steps",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.fields["findings"].required = True

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A review cannot be recorded before it is held; the date is in the future."))
        return held_on


class SharedIndicatorForm(forms.ModelForm):
    valid_from = forms.DateField(
        label=_("In force from"), widget=DateInput(),
        help_text=_("Measurements dated from this day count under this definition; earlier ones under the one before."),
    )  # fmt: skip

    class Meta:
        model = SharedIndicator
        fields = list(SharedIndicator.DEFINITION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.current_version if self.instance.pk else None
        self.not_before = current.valid_from if current else None
        self.fields["valid_from"].initial = max(timezone.localdate(), self.not_before or date.min)

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        if self.not_before and value < self.not_before:
            raise forms.ValidationError(
                _("The version in force began on %(date)s; a new one cannot begin before it."),
                params={"date": self.not_before.isoformat()},
            )
        return value

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = SharedIndicator.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A shared indicator with this name exists already."))
        return name


class IndicatorAdoptForm(OrganizationFormMixin, forms.Form):
    shared_indicator = forms.ModelChoiceField(
        label=_("Shared indicator"), queryset=SharedIndicator.objects.none(),
        help_text=_("Its name, unit and direction are the network's; the baseline and target are yours."),
    )  # fmt: skip
    baseline_value = forms.DecimalField(label=_("baseline value"), max_digits=14, decimal_places=2)
    baseline_date = forms.DateField(label=_("baseline date"), widget=DateInput())
    target_value = forms.DecimalField(label=_("target value"), max_digits=14, decimal_places=2)
    target_date = forms.DateField(label=_("target date"), widget=DateInput())
    data_source = forms.CharField(label=_("data source"), max_length=200, required=False)

    def __init__(self, *args, adoptable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_indicator"].queryset = adoptable

    def clean(self):
        cleaned = super().clean()
        shared = cleaned.get("shared_indicator")
        baseline, target = cleaned.get("baseline_value"), cleaned.get("target_value")
        if shared and baseline is not None and target is not None:
            if target == baseline:
                self.add_error(
                    "target_value",
                    _(
                        "The target equals the baseline, so there would be no progress to measure. Choose another target."
                    ),
                )
            elif shared.direction == Indicator.Direction.INCREASE and target < baseline:
                self.add_error("target_value", _("For an increase, the target must be above the baseline."))
            elif shared.direction == Indicator.Direction.DECREASE and target > baseline:
                self.add_error("target_value", _("For a decrease, the target must be below the baseline."))
        start, end = cleaned.get("baseline_date"), cleaned.get("target_date")
        if start and end and end <= start:
            self.add_error("target_date", _("The target date must come after the baseline date."))
        return cleaned
