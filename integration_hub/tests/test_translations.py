"""The Spanish catalogue is complete, its placeholders are intact, it covers every
marked string, and the main page templates mark every piece of visible text.

After marking new strings, regenerate and translate the catalogue:

    DEBUG=1 python manage.py makemessages -l es --ignore=.venv --ignore=staticfiles \
        --ignore="tools/*" --ignore="bench/*" --ignore="e2e/*"
"""

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from assessments.languages import LANGUAGES, PUBLIC_WORDS, catalogue_words

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale/es/LC_MESSAGES/django.po"

# The same folders `makemessages` is told to ignore (plus its default ignores).
IGNORED_TOP_LEVEL = {".venv", "venv", "staticfiles", "tools", "bench", "e2e", "locale", "node_modules"}

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]")
# Real HTML elements only: "Token <key>" in an API message is a placeholder for people.
HTML_TAG = re.compile(r"</?(a|abbr|b|br|code|em|i|kbd|p|small|span|strong|time)\b", re.I)


def load_catalogue(path=CATALOGUE):
    with Path(path).open("rb") as source:
        return read_po(source, locale="es")


def messages(catalog):
    return [message for message in catalog if message.id]


def singular_and_plural(message):
    """(msgid, [msgstr...]) pairs: msgid for form 0, msgid_plural for the other forms."""
    if message.pluralizable:
        singular, plural = message.id
        strings = list(message.string)
        return [(singular, strings[:1]), (plural, strings[1:])]
    return [(message.id, [message.string])]


def python_format_problems(message) -> list[str]:
    problems = []
    all_ids = message.id if message.pluralizable else (message.id,)
    known = Counter()
    for msgid in all_ids:
        known |= Counter(PLACEHOLDER.findall(msgid))
    for msgid, strings in singular_and_plural(message):
        wanted = set(PLACEHOLDER.findall(msgid))
        for index, msgstr in enumerate(strings):
            if not msgstr:
                continue
            found = set(PLACEHOLDER.findall(msgstr))
            # Spanish may drop the count in the singular ("un compromiso"), never a name.
            missing = wanted - found
            if message.pluralizable and index == 0 and msgid is all_ids[0]:
                missing -= {"count", "counter"}
            if missing:
                problems.append(f"{msgid!r}: {sorted(missing)} missing from {msgstr!r}")
            extra = found - set(known)
            if extra:
                problems.append(f"{msgid!r}: unknown {sorted(extra)} in {msgstr!r}")
    return problems


def html_tag_problems(message) -> list[str]:
    problems = []
    for msgid, strings in singular_and_plural(message):
        wanted = Counter(tag.lower() for tag in HTML_TAG.findall(msgid))
        for msgstr in strings:
            found = Counter(tag.lower() for tag in HTML_TAG.findall(msgstr or ""))
            if msgstr and found != wanted:
                problems.append(f"{msgid!r}: tags {dict(wanted)} vs {dict(found)} in {msgstr!r}")
    return problems


def untranslated(catalog) -> list[str]:
    missing = []
    for message in messages(catalog):
        strings = message.string if message.pluralizable else (message.string,)
        if message.fuzzy:
            missing.append(f"fuzzy: {message.id!r}")
        elif not all(s and s.strip() for s in strings):
            missing.append(f"untranslated: {message.id!r}")
    return missing


# --- (a) and (b): the catalogue itself -------------------------------------------------


def test_every_spanish_message_is_translated_and_not_fuzzy():
    assert untranslated(load_catalogue()) == []


def test_every_placeholder_of_a_message_is_kept_in_its_translation():
    problems = [p for m in messages(load_catalogue()) for p in python_format_problems(m)]
    assert problems == []


def test_no_message_has_a_filtered_variable_inside_blocktranslate():
    # {% blocktranslate %}…{{ n|add:"-1" }}…{% endblocktranslate %} extracts as
    # %(n|add:"-1")s and renders empty; bind the value with `with` instead.
    broken = [m.id for m in messages(load_catalogue()) if re.search(r"%\((?!\w+\))", str(m.id))]
    assert broken == []


def test_translations_keep_the_html_tags_of_their_message():
    problems = [p for m in messages(load_catalogue()) for p in html_tag_problems(m)]
    assert problems == []


def test_the_checks_catch_a_missing_translation_and_a_lost_placeholder(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Cancel"\nmsgstr "Cancelar"\n\n'
        '#, python-format\nmsgid "Welcome to %(org)s."\nmsgstr "Bienvenido."\n\n'
        '#, python-format\nmsgid "Bye %(org)s."\nmsgstr "Adiós %(organizacion)s."\n\n'
        'msgid "<strong>Note:</strong> read"\nmsgstr "Nota: lea"\n',
        encoding="utf-8",
    )
    catalog = load_catalogue(po)
    assert untranslated(catalog) == ["untranslated: 'Save'", "fuzzy: 'Cancel'"]
    format_problems = [p for m in messages(catalog) for p in python_format_problems(m)]
    assert len(format_problems) == 3  # %(org)s lost twice, %(organizacion)s unknown
    assert [p for m in messages(catalog) for p in html_tag_problems(m)] != []


# --- (c): the catalogue covers every marked string --------------------------------------

XGETTEXT_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def source_files():
    """What `makemessages -d django` reads: .py, .html and .txt outside ignored folders."""
    for root, dirs, files in os.walk(BASE_DIR):
        relative = Path(root).relative_to(BASE_DIR)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d != "__pycache__" and not (relative == Path(".") and d in IGNORED_TOP_LEVEL)
        )
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt")) and not name.startswith("."):
                yield Path(root) / name


def extract_marked_strings(workdir: Path, files=None) -> set[tuple[str | None, str]]:
    """Run xgettext like makemessages does (templates through Django's templatize)."""
    listed = []
    for path in source_files() if files is None else files:
        relative = path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else Path(path.name)
        if path.suffix == ".py":
            listed.append(str(path))
            continue
        text = path.read_text(encoding="utf-8")
        if "{%" not in text:
            continue
        target = workdir / (str(relative) + ".py")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(templatize(text, origin=str(relative)), encoding="utf-8")
        listed.append(str(target))
    files_from = workdir / "files.txt"
    files_from.write_text("\n".join(listed), encoding="utf-8")
    pot = workdir / "django.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            *XGETTEXT_KEYWORDS,
            f"--files-from={files_from}",
            f"--output={pot}",
        ],
        check=True,
        capture_output=True,
    )
    if not pot.exists():  # no marked strings at all
        return set()
    # xgettext's header holds placeholders Babel cannot parse; the sources are UTF-8.
    header_fixed = (
        pot.read_text(encoding="utf-8")
        .replace("charset=CHARSET", "charset=UTF-8")
        .replace("nplurals=INTEGER; plural=EXPRESSION", "nplurals=2; plural=(n != 1)")
    )
    pot.write_text(header_fixed, encoding="utf-8")
    with pot.open("rb") as source:
        extracted = read_po(source)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in messages(extracted)}


def catalogue_keys(catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in messages(catalog)}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed")
def test_the_spanish_catalogue_contains_every_marked_string():
    with tempfile.TemporaryDirectory() as workdir:
        marked = extract_marked_strings(Path(workdir))
    assert len(marked) > 500, "the extraction found suspiciously few strings"
    missing = sorted(marked - catalogue_keys(load_catalogue()), key=lambda key: key[1])
    assert missing == [], "run makemessages -l es and translate the new strings"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed")
def test_the_coverage_check_notices_a_newly_marked_string(tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text('{% load i18n %}{% translate "A string nobody has translated yet" %}', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    marked = extract_marked_strings(work, files=[probe, BASE_DIR / "integration_hub/forms.py"])
    assert (None, "Save settings") in marked
    assert marked - catalogue_keys(load_catalogue()) == {(None, "A string nobody has translated yet")}


# --- (d): the main page templates mark their visible text --------------------------------

TEMPLATES_DIR = BASE_DIR / "templates"
# Not scanned: emails and letters (plain text, rendered in the recipient's language),
# the public survey (its own bilingual dictionary), and the privacy notice (a full
# document written in each language, chosen by ?lang=, whatever the interface language).
NOT_SCANNED = (
    "*/email/*",
    "assessments/public/*",
    "integration_hub/privacy.html",
    "integration_hub/privacy_en.html",
    "integration_hub/privacy_es.html",
)
# Text that is the same in both languages.
ALLOWED_TEXT = re.compile(
    r"Integration Hub|CSV|USD|API|JSON|OpenAPI|English|Español|Chart\.js|[A-Z]{2}(?=\b)",
)
SPOKEN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "data-confirm")

COMMENT_BLOCK = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.S)
COMMENT = re.compile(r"{#.*?#}", re.S)
BLOCKTRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}",
    re.S,
)
TRANSLATED_VARIABLE = re.compile(r"""{%\s*(?:translate|trans)\s+(?!["'_])([^\s%]+)""")
DJANGO_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# Scripts, styles and code samples (an HTTP header, a command) are not prose.
NOT_PROSE = re.compile(r"<(script|style|code|pre|kbd|samp)\b[^>]*>.*?</\1\s*>", re.S | re.I)
# An element with a literal lang="…" is written in that language on purpose
# ("Abrir en español" next to "Open in English").
OTHER_LANGUAGE = re.compile(r"""<([a-zA-Z]+)\b[^>]*\slang=["'][a-z]{2}["'][^>]*>[^<]*</\1\s*>""", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
HTML_ELEMENT = re.compile(r"<[a-zA-Z/!][^>]*>", re.S)
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*')""")
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;|&#x[0-9a-fA-F]+;")
WORD = re.compile(r"[^\W\d_]{2,}(?:[\s'’-]+[^\W\d_]+)*")
LITERAL_ARGUMENT = re.compile(
    r"""\|(?:default|yesno|default_if_none):\s*("[^"]*"|'[^']*')"""
    r"""|\bwith\b[^%]*?\b(?:title|text|label|action_label|empty_title|empty_text)=("[^"]*"|'[^']*')""",
)


def unmarked_text(source: str) -> list[str]:
    """Runs of letters a visitor would see that no translation tag covers."""
    found = []
    gap = "\x00"  # replaces what is removed, so text on either side is not joined up
    source = COMMENT_BLOCK.sub(gap, source)
    source = COMMENT.sub(gap, source)
    # String literals handed to filters or includes are shown as they are, untranslated.
    for match in LITERAL_ARGUMENT.finditer(source):
        literal = (match[1] or match[2])[1:-1]
        # Machine values ('info' as a CSS class, 'true,false' for ARIA) are lower case, one word.
        if re.search(r"[A-Z]|\s", literal):
            found += WORD.findall(ALLOWED_TEXT.sub(gap, literal))
    # {% translate some.variable %} looks the value up at run time, but no tool can
    # extract it, so it is never in the catalogue: spell each string out instead.
    found += [f"{{% translate {name} %}}" for name in TRANSLATED_VARIABLE.findall(source)]
    source = BLOCKTRANSLATE.sub(gap, source)
    source = DJANGO_TAG.sub(gap, source)
    source = NOT_PROSE.sub(gap, source)
    source = OTHER_LANGUAGE.sub(gap, source)
    source = HTML_COMMENT.sub(gap, source)

    def keep_spoken_attributes(element):
        attributes = ATTRIBUTE.findall(element[0])
        spoken = [value[1:-1] for name, value in attributes if name.lower() in SPOKEN_ATTRIBUTES]
        if re.match(r"<input\b", element[0], re.I) and re.search(
            r"""type\s*=\s*["']?(submit|button|reset)""", element[0]
        ):
            spoken += [value[1:-1] for name, value in attributes if name.lower() == "value"]
        return gap + gap.join(spoken) + gap

    source = HTML_ELEMENT.sub(keep_spoken_attributes, source)
    source = ENTITY.sub(gap, source)
    source = ALLOWED_TEXT.sub(gap, source)
    found += WORD.findall(source)
    return [" ".join(text.split()) for text in found]


def main_page_templates():
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        relative = path.relative_to(TEMPLATES_DIR)
        if any(relative.match(pattern) for pattern in NOT_SCANNED):
            continue
        yield relative, path


def test_main_page_templates_have_no_unmarked_text():
    problems = {
        str(relative): texts
        for relative, path in main_page_templates()
        if (texts := unmarked_text(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_the_template_scan_only_flags_text_a_visitor_would_see():
    template = """{% extends "base.html" %}{% load i18n %}
    {# a comment #}{% comment %}Not shown{% endcomment %}
    <h1 class="page-header" id="x">{% translate "Needs" %}</h1>
    <p>{% blocktranslate with n=count %}{{ n }} needs{% endblocktranslate %}</p>
    <img src="a.png" alt="{% translate 'Chart' %}"> Integration Hub · CSV — 2026
    <script>const label = "not scanned";</script>
    <a href="{% url 'home' %}" title="Go home">Overdue tasks</a>
    <input type="submit" value="Send"><input type="hidden" value="kept">
    {{ value|default:"Not set" }} {{ value|default:"—" }} <i class="{{ tags|default:'info' }}"></i>
    <a href="?lang=es" lang="es">Abrir en español</a>
    {% include "partials/empty_state.html" with title="No needs yet" action_url=url %}
    <span>{% translate progress.status_label %}</span>{% translate _("Fine") %}
    """
    assert sorted(unmarked_text(template)) == [
        "Go home",
        "No needs yet",
        "Not set",
        "Overdue tasks",
        "Send",
        "{% translate progress.status_label %}",
    ]


# --- (e): the public survey page's catalogues, one per survey language ---------------------

BRACE = re.compile(r"{(\w+)}")


def public_catalogue_path(code: str) -> Path:
    return BASE_DIR / "locale" / translation.to_locale(code) / "LC_MESSAGES" / "django.po"


def public_entries(catalog) -> dict[str, object]:
    return {m.id: m for m in messages(catalog) if m.context == "public survey"}


def public_problems(catalog) -> list[str]:
    """Every word of the public page present, translated, not fuzzy, with its {fields} and %(fields)s."""
    entries = public_entries(catalog)
    problems = [f"missing: {str(text)!r}" for text in PUBLIC_MSGIDS if str(text) not in entries]
    for msgid, message in entries.items():
        if message.fuzzy or not (message.string or "").strip():
            problems.append(f"untranslated: {msgid!r}")
            continue
        for pattern in (BRACE, PLACEHOLDER):
            if sorted(pattern.findall(msgid)) != sorted(pattern.findall(message.string)):
                problems.append(f"{msgid!r}: fields changed in {message.string!r}")
    return problems


PUBLIC_MSGIDS = list(catalogue_words("en").values())  # the msgids: English has no catalogue of its own


@pytest.mark.parametrize("code", [language.code for language in LANGUAGES if language.code != "en"])
def test_every_survey_language_has_the_whole_public_page_in_its_catalogue(code):
    path = public_catalogue_path(code)
    assert path.exists(), f"no catalogue for {code}"
    catalog = load_catalogue(path)
    assert len(public_entries(catalog)) == len(PUBLIC_WORDS)
    assert public_problems(catalog) == []
    # The words shown for that language are the catalogue's, not the English fallback.
    assert catalogue_words(code)["submit"] == public_entries(catalog)["Send my answers"].string


@pytest.mark.parametrize("code", [language.code for language in LANGUAGES if language.code not in ("en", "es")])
def test_machine_drafted_catalogues_say_so_in_their_header(code):
    text = public_catalogue_path(code).read_text(encoding="utf-8")
    assert '"X-Translation-Source: machine draft, needs review\\n"' in text
    assert "MACHINE DRAFT, NEEDS REVIEW" in text


def test_the_public_checks_catch_a_missing_word_and_a_lost_field(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
        'msgctxt "public survey"\nmsgid "Please enter a number from {min} to {max}."\n'
        'msgstr "Veuillez écrire un nombre jusqu’à {max}."\n\n'
        'msgctxt "public survey"\nmsgid "Send my answers"\nmsgstr ""\n',
        encoding="utf-8",
    )
    problems = public_problems(load_catalogue(po))
    assert any("fields changed" in p and "{min}" in p for p in problems)
    assert "untranslated: 'Send my answers'" in problems
    assert f"missing: {PUBLIC_MSGIDS[0]!r}" in problems


def test_the_staff_interface_stays_english_and_spanish():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es"]
