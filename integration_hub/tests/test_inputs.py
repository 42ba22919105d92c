"""Properties of the input rules (integration_hub.inputs), over generated text and tables."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integration_hub.inputs import (
    DATE_MAX,
    DATE_MIN,
    SEARCH_MAX_LENGTH,
    CsvProblem,
    clean_search_term,
    csv_records,
    parse_date,
    parse_id,
)

# Text as people and scripts send it: any Unicode, line breaks and digits of every script included.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(TEXT)
def test_an_id_is_only_ever_ascii_digits_that_fit_a_64_bit_column(value):
    parsed = parse_id(value)
    if parsed is None:
        assert not (value.isascii() and value.isdigit() and len(value) <= 18)
    else:
        assert str(parsed) == value.lstrip("0") or parsed == 0
        assert 0 <= parsed < 2**63


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_every_real_id_is_read_back(number):
    assert parse_id(str(number)) == number


@given(TEXT)
def test_a_date_parameter_is_in_range_or_the_default(value):
    parsed = parse_date(value, default="default")
    assert parsed == "default" or DATE_MIN <= parsed <= DATE_MAX


@given(st.dates())
def test_every_calendar_date_is_kept_exactly_when_in_range(day):
    assert parse_date(day.isoformat()) == (day if DATE_MIN <= day <= DATE_MAX else None)


@given(st.text(max_size=2_000))
def test_a_search_term_has_no_nul_and_a_bounded_length(term):
    cleaned = clean_search_term(term)
    assert "\x00" not in cleaned and len(cleaned) <= SEARCH_MAX_LENGTH
    assert cleaned == cleaned.strip()


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=20))
def test_csv_records_read_back_any_table_with_the_line_each_record_starts_on(table):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(table)
    text = buffer.getvalue()
    records = list(csv_records(text))
    assert [cells for _line, cells in records] == table
    line = 1
    for (start, _cells), row in zip(records, table, strict=True):
        assert start == line
        rendered = io.StringIO(newline="")
        csv.writer(rendered).writerow(row)
        # Lines as the reader counts them: \r\n, \n or a lone \r each end one.
        line += len(io.StringIO(rendered.getvalue(), newline="").readlines())


@given(st.lists(CELL, min_size=1, max_size=5), st.integers(min_value=0, max_value=4))
def test_an_unterminated_quote_is_reported_on_its_line(cells, before):
    text = "a,b\n" * before + '"' + ",".join(cells).replace('"', "") + "\n" + "c,d\n" * 3
    with pytest.raises(CsvProblem) as problem:
        list(csv_records(text))
    assert problem.value.line == before + 1


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(term=st.text(max_size=500))
def test_any_search_on_a_list_page_answers_a_page_or_a_clear_400(client_as, term):
    response = client_as("editor").get(reverse("stakeholders:index"), {"q": term, "format": "csv"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        b"".join(response.streaming_content)
