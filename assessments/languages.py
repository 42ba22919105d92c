"""Languages of survey text and the public page's own words.

Question and choice wording is stored as a JSON object keyed by language code
({"en": "...", "ar": "..."}), and a survey's languages are a JSON list, so adding a
language needs no migration: add it to LANGUAGES and ship locale/<code>/ for the page's
own words (PUBLIC_WORDS, in gettext catalogues under the context "public survey").
English is required; every other language is optional and falls back to English.
"""

from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str  # as Django spells it (lower case); the catalogue folder is translation.to_locale(code)
    name: str  # in the language itself, for the public page's switch
    english_name: Promise  # for staff, in the interface's language
    rtl: bool = False
    tag: str = ""  # the BCP 47 tag for lang="…" where it differs from the code (zh-Hans)

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def html_lang(self) -> str:
        return self.tag or self.code


LANGUAGES = (
    Language("en", "English", _("English")),
    Language("es", "Español", _("Spanish")),
    Language("fr", "Français", _("French")),
    Language("ht", "Kreyòl ayisyen", _("Haitian Creole")),
    Language("pt", "Português", _("Portuguese")),
    Language("ar", "العربية", _("Arabic"), rtl=True),
    # Dari is Afghan Persian: its own code, so that its words are not Iran's Persian (fa).
    Language("prs", "دری", _("Dari"), rtl=True),
    Language("ps", "پښتو", _("Pashto"), rtl=True),
    Language("vi", "Tiếng Việt", _("Vietnamese")),
    Language("zh-hans", "简体中文", _("Chinese (simplified)"), tag="zh-Hans"),
    Language("ko", "한국어", _("Korean")),
    Language("tl", "Tagalog", _("Tagalog")),
    Language("ru", "Русский", _("Russian")),
    Language("uk", "Українська", _("Ukrainian")),
    Language("so", "Soomaali", _("Somali")),
    Language("sw", "Kiswahili", _("Swahili")),
)
BY_CODE = {language.code: language for language in LANGUAGES}
LANGUAGE_CODES = tuple(BY_CODE)
# A browser's tag whose first part is one of these means that language of ours.
_ACCEPT_ALIASES = {"fa": "prs", "zh": "zh-hans", "fil": "tl"}

# Django's own table lacks some of these; get_language_info() and {% language %} need them.
for _language in LANGUAGES:
    LANG_INFO.setdefault(
        _language.code,
        {"bidi": _language.rtl, "code": _language.code, "name": _language.name, "name_local": _language.name},
    )


def language_info(code: str) -> Language:
    return BY_CODE.get(code) or BY_CODE[DEFAULT_LANGUAGE]


def survey_languages(codes) -> list[Language]:
    """A survey's chosen languages in the list's order, English first and always there."""
    chosen = {DEFAULT_LANGUAGE, *(codes or ())}
    return [language for language in LANGUAGES if language.code in chosen]


def pick(texts: dict | None, language: str) -> str:
    """The text in `language`, else English, else ''."""
    texts = texts or {}
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE) or ""


def _match(tag: str, offered: list[str]) -> str | None:
    tag = tag.lower()
    if tag in offered:
        return tag
    parts = tag.split("-")
    if parts[0] == "zh" and ("hant" in parts or {"tw", "hk", "mo"} & set(parts)):
        return None  # traditional Chinese readers are not served simplified as if it were theirs
    first = _ACCEPT_ALIASES.get(parts[0], parts[0])
    return first if first in offered else None


def normalise_language(value: str | None, offered=None) -> str:
    """`value` if it is one of the offered codes (every listed language by default), else English."""
    offered = list(offered if offered is not None else LANGUAGE_CODES)
    return _match(value or "", offered) or DEFAULT_LANGUAGE


def choose_language(request, offered) -> str:
    """The public page's language among `offered`: ?lang= (or the form's lang) first, then the
    browser's Accept-Language in its order of preference, then English."""
    offered = list(offered)
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked and (found := _match(asked, offered)):
        return found
    for tag, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if tag != "*" and (found := _match(tag, offered)):
            return found
    return DEFAULT_LANGUAGE


# The public survey page's own words, translated through the catalogues in locale/<code>/
# (context "public survey", so that staff-side strings never change them; spelled out in each
# call so that makemessages finds it). An organisation may
# put its own words in place of any of them (PublicWording). {min}-style fields are filled in.
PUBLIC_WORDS = {
    "language_switch": pgettext_lazy("public survey", "Language"),
    "survey": pgettext_lazy("public survey", "Survey"),
    "required": pgettext_lazy("public survey", "required"),
    "optional": pgettext_lazy("public survey", "optional"),
    "side_legend": pgettext_lazy("public survey", "Which of these describes you?"),
    "side_help": pgettext_lazy("public survey", "We ask so that we hear from both sides of the community."),
    "side_newcomer": pgettext_lazy("public survey", "I am a newcomer to this community"),
    "side_resident": pgettext_lazy("public survey", "I am a long-standing resident"),
    "side_prefer_not": pgettext_lazy("public survey", "I prefer not to say"),
    "submit": pgettext_lazy("public survey", "Send my answers"),
    "privacy_title": pgettext_lazy("public survey", "Your answers are anonymous"),
    "privacy_link": pgettext_lazy("public survey", "What we keep and what we never ask (privacy)"),
    "privacy_text": pgettext_lazy(
        "public survey",
        "We do not ask for your name and we never ask about immigration status. "
        "We do not keep your IP address, your browser, any cookie or the time you answered: "
        "only your answers, the date and the language of this page. "
        "Results are shown only in groups of five or more people.",
    ),
    "error_summary": pgettext_lazy("public survey", "Please check these answers"),
    "error_summary_intro": pgettext_lazy(
        "public survey", "Nothing was sent yet. Fix the answers below and send again."
    ),
    "err_required": pgettext_lazy("public survey", "Please answer this question."),
    "err_side": pgettext_lazy("public survey", "Please choose one of the options, or “I prefer not to say”."),
    "err_choice": pgettext_lazy("public survey", "Please choose one of the options shown."),
    "err_number": pgettext_lazy("public survey", "Please enter a whole number."),
    "err_range": pgettext_lazy("public survey", "Please enter a number from {min} to {max}."),
    "err_scale": pgettext_lazy("public survey", "Please choose a number from 1 to 5."),
    "err_decimal": pgettext_lazy("public survey", "Please enter a number, for example 12 or 12.5."),
    "err_date": pgettext_lazy("public survey", "Please enter a date as year-month-day, for example 2024-03-15."),
    "err_date_range": pgettext_lazy("public survey", "Please enter a date between the years {min} and {max}."),
    "decimal_hint": pgettext_lazy("public survey", "A number; decimals are allowed, for example 12.5."),
    "date_hint": pgettext_lazy("public survey", "Year-month-day, for example 2024-03-15."),
    "err_too_long": pgettext_lazy(
        "public survey", "Please shorten your answer to at most {max} characters (it has {n})."
    ),
    "scale_low": pgettext_lazy("public survey", "1 = not at all"),
    "scale_high": pgettext_lazy("public survey", "5 = very much"),
    "choose_any": pgettext_lazy("public survey", "Choose all that apply."),
    "thanks_title": pgettext_lazy("public survey", "Thank you"),
    "thanks_text": pgettext_lazy(
        "public survey", "Your answers were received. They help us plan for the whole community."
    ),
    "thanks_again": pgettext_lazy("public survey", "Answer again (for another person)"),
    "closed_title": pgettext_lazy("public survey", "This survey is not open"),
    "closed_text": pgettext_lazy(
        "public survey",
        "This link does not lead to a survey that is taking answers. It may have closed. Thank you for your interest.",
    ),
    "busy_title": pgettext_lazy("public survey", "Too many answers at once"),
    "busy_text": pgettext_lazy(
        "public survey", "This survey is receiving a lot of answers right now. Please wait a minute and send again."
    ),
    "number_hint": pgettext_lazy("public survey", "A whole number from {min} to {max}."),
    "max_chars": pgettext_lazy("public survey", "At most {max} characters."),
    "about_title": pgettext_lazy("public survey", "About this survey"),
    "asked_by": pgettext_lazy("public survey", "Who is asking"),
    "why": pgettext_lazy("public survey", "Why we ask"),
    "when": pgettext_lazy("public survey", "When"),
    "contact": pgettext_lazy("public survey", "Contact"),
    "period_from_to": pgettext_lazy("public survey", "Answers are collected from {start} to {end}."),
    "period_until": pgettext_lazy("public survey", "Answers are collected until {end}."),
    "period_from": pgettext_lazy("public survey", "Answers are collected from {start}."),
    "next_title": pgettext_lazy("public survey", "What happens next"),
    "next_shared": pgettext_lazy("public survey", "Where the results are shared:"),
    "next_groups": pgettext_lazy(
        "public survey", "The results only ever show groups of five or more people, never one person’s answers."
    ),
    "offline_saved": pgettext_lazy(
        "public survey",
        "Saved on this device — it will be sent when you are back online. Answers waiting on this device: {n}",
    ),
    "offline_refused": pgettext_lazy(
        "public survey",
        "This survey closed before answers saved on this device could be sent. "
        "They were not counted and have been removed from this device: {n}",
    ),
    "kiosk_next": pgettext_lazy("public survey", "A new form for the next person in {n} seconds."),
    "kiosk_start_now": pgettext_lazy("public survey", "Start now"),
}


def catalogue_words(language: str) -> dict[str, str]:
    """The public page's words in `language` as the catalogues give them (English where missing)."""
    with translation.override(language):
        return {key: str(text) for key, text in PUBLIC_WORDS.items()}
