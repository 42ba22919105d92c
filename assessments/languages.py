"""Languages of survey text and the public page's own words.

Question and choice wording is stored as a JSON object keyed by language code
({"en": "...", "es": "..."}), so adding a language later needs no migration:
add it to SURVEY_LANGUAGES and give the public page its words in UI_TEXT.
English is required; every other language is optional and falls back to English.
"""

DEFAULT_LANGUAGE = "en"
SURVEY_LANGUAGES = (("en", "English"), ("es", "Español"))
LANGUAGE_CODES = tuple(code for code, _ in SURVEY_LANGUAGES)


def pick(texts: dict | None, language: str) -> str:
    """The text in `language`, else English, else ''."""
    texts = texts or {}
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE) or ""


def normalise_language(value: str | None) -> str:
    value = (value or "").lower()[:2]
    return value if value in LANGUAGE_CODES else DEFAULT_LANGUAGE


# The public survey page's words. Hard-coded here (not gettext) because the
# respondent picks the language with ?lang= and has no account or session.
UI_TEXT = {
    "en": {
        "language_switch": "Language",
        "survey": "Survey",
        "required": "required",
        "optional": "optional",
        "side_legend": "Which of these describes you?",
        "side_help": "We ask so that we hear from both sides of the community.",
        "side_newcomer": "I am a newcomer to this community",
        "side_resident": "I am a long-standing resident",
        "side_prefer_not": "I prefer not to say",
        "submit": "Send my answers",
        "privacy_title": "Your answers are anonymous",
        "privacy_link": "What we keep and what we never ask (privacy)",
        "privacy_text": (
            "We do not ask for your name and we never ask about immigration status. "
            "We do not keep your IP address, your browser, any cookie or the time you answered: "
            "only your answers and the date. Results are shown only in groups of five or more people."
        ),
        "error_summary": "Please check these answers",
        "error_summary_intro": "Nothing was sent yet. Fix the answers below and send again.",
        "err_required": "Please answer this question.",
        "err_side": "Please choose one of the options, or “I prefer not to say”.",
        "err_choice": "Please choose one of the options shown.",
        "err_number": "Please enter a whole number.",
        "err_range": "Please enter a number from {min} to {max}.",
        "err_scale": "Please choose a number from 1 to 5.",
        "err_decimal": "Please enter a number, for example 12 or 12.5.",
        "err_date": "Please enter a date as year-month-day, for example 2024-03-15.",
        "err_date_range": "Please enter a date between the years {min} and {max}.",
        "decimal_hint": "A number; decimals are allowed, for example 12.5.",
        "date_hint": "Year-month-day, for example 2024-03-15.",
        "err_too_long": "Please shorten your answer to at most {max} characters (it has {n}).",
        "scale_low": "1 = not at all",
        "scale_high": "5 = very much",
        "choose_any": "Choose all that apply.",
        "thanks_title": "Thank you",
        "thanks_text": "Your answers were received. They help us plan for the whole community.",
        "thanks_again": "Answer again (for another person)",
        "closed_title": "This survey is not open",
        "closed_text": "This link does not lead to a survey that is taking answers. It may have closed. Thank you for your interest.",
        "busy_title": "Too many answers at once",
        "busy_text": "This survey is receiving a lot of answers right now. Please wait a minute and send again.",
        "number_hint": "A whole number from {min} to {max}.",
        "max_chars": "At most {max} characters.",
        "about_title": "About this survey",
        "asked_by": "Who is asking",
        "why": "Why we ask",
        "when": "When",
        "contact": "Contact",
        "period_from_to": "Answers are collected from {start} to {end}.",
        "period_until": "Answers are collected until {end}.",
        "period_from": "Answers are collected from {start}.",
        "next_title": "What happens next",
        "next_shared": "Where the results are shared:",
        "next_groups": "The results only ever show groups of five or more people, never one person’s answers.",
    },
    "es": {
        "language_switch": "Idioma",
        "survey": "Encuesta",
        "required": "obligatoria",
        "optional": "opcional",
        "side_legend": "¿Cuál de estas opciones le describe?",
        "side_help": "Lo preguntamos para escuchar a las dos partes de la comunidad.",
        "side_newcomer": "Soy recién llegado/a a esta comunidad",
        "side_resident": "Vivo aquí desde hace mucho tiempo",
        "side_prefer_not": "Prefiero no decirlo",
        "submit": "Enviar mis respuestas",
        "privacy_title": "Sus respuestas son anónimas",
        "privacy_link": "Qué guardamos y qué nunca preguntamos (privacidad)",
        "privacy_text": (
            "No le pedimos su nombre y nunca preguntamos por su situación migratoria. "
            "No guardamos su dirección IP, su navegador, ninguna cookie ni la hora en que respondió: "
            "solo sus respuestas y la fecha. Los resultados se muestran solo en grupos de cinco personas o más."
        ),
        "error_summary": "Revise estas respuestas",
        "error_summary_intro": "Todavía no se envió nada. Corrija las respuestas de abajo y envíe de nuevo.",
        "err_required": "Por favor, responda esta pregunta.",
        "err_side": "Por favor, elija una de las opciones o «Prefiero no decirlo».",
        "err_choice": "Por favor, elija una de las opciones que se muestran.",
        "err_number": "Por favor, escriba un número entero.",
        "err_range": "Por favor, escriba un número del {min} al {max}.",
        "err_scale": "Por favor, elija un número del 1 al 5.",
        "err_decimal": "Por favor, escriba un número, por ejemplo 12 o 12,5.",
        "err_date": "Por favor, escriba una fecha como año-mes-día, por ejemplo 2024-03-15.",
        "err_date_range": "Por favor, escriba una fecha entre los años {min} y {max}.",
        "decimal_hint": "Un número; se permiten decimales, por ejemplo 12,5.",
        "date_hint": "Año-mes-día, por ejemplo 2024-03-15.",
        "err_too_long": "Por favor, acorte su respuesta a {max} caracteres como máximo (tiene {n}).",
        "scale_low": "1 = nada",
        "scale_high": "5 = mucho",
        "choose_any": "Elija todas las que correspondan.",
        "thanks_title": "Gracias",
        "thanks_text": "Recibimos sus respuestas. Nos ayudan a planificar para toda la comunidad.",
        "thanks_again": "Responder de nuevo (para otra persona)",
        "closed_title": "Esta encuesta no está abierta",
        "closed_text": "Este enlace no lleva a una encuesta que esté recibiendo respuestas. Puede que haya cerrado. Gracias por su interés.",
        "busy_title": "Demasiadas respuestas a la vez",
        "busy_text": "Esta encuesta está recibiendo muchas respuestas en este momento. Espere un minuto y envíe de nuevo.",
        "number_hint": "Un número entero del {min} al {max}.",
        "max_chars": "Como máximo {max} caracteres.",
        "about_title": "Sobre esta encuesta",
        "asked_by": "Quién pregunta",
        "why": "Por qué preguntamos",
        "when": "Cuándo",
        "contact": "Contacto",
        "period_from_to": "Recibimos respuestas del {start} al {end}.",
        "period_until": "Recibimos respuestas hasta el {end}.",
        "period_from": "Recibimos respuestas desde el {start}.",
        "next_title": "Qué pasa después",
        "next_shared": "Dónde se comparten los resultados:",
        "next_groups": "Los resultados solo muestran grupos de cinco personas o más, nunca las respuestas de una sola persona.",
    },
}
