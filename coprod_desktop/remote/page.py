"""The phone page in the phone's language: its words, marked here for the "phone" catalogue.

The page's script has no words of its own: it reads them from a JSON block the server writes
into the page (data, never run: the Content-Security-Policy allows no inline script), so every
sentence a phone shows is translated with the app's catalogues, plural forms included. A phone
sees the workshop's language unless it picked another from the page's language switch (a
cookie, so the choice stays with that phone); `lang` and `dir` follow the language.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from importlib import resources

from ..domain.i18n import SOURCE, _, name_of, normalise, using

LANGUAGE_COOKIE = "coprod_lang"
RIGHT_TO_LEFT = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "ug", "yi"})


def base_language(tag: str) -> str:
    return normalise(tag).split("-")[0] if tag else SOURCE


def direction(tag: str) -> str:
    """ "rtl" for a language written right to left (Arabic, Urdu), else "ltr"."""
    return "rtl" if base_language(tag) in RIGHT_TO_LEFT else "ltr"


def script_strings() -> dict[str, str]:
    """Every sentence the page's script may show, in the current language. `{name}`-style
    fields are filled in by the script; none depends on a count, so no plural is needed there."""
    return {
        "workshop": _("Workshop voting"),
        "votingAs": _("Voting as {name}"),
        "secretFor": _("Secret ballot for {name}: your name is never kept with your answers."),
        "secret": _("Secret ballot: your name is never kept with your answers."),
        "anonymous": _("Anonymous: only the counts are kept."),
        "anonymousSide": _("Anonymous: only the counts are kept, by group ({group})."),
        "waitingTitle": _("Waiting for the facilitator"),
        "waitingText": _("The next question will appear here by itself. Keep this page open."),
        "whoTitle": _("Who are you?"),
        "whoSecret": _(
            "Choose your name once. It only marks that you have voted; your answers are counted without it."
        ),
        "whoNamed": _("Choose your name once. Your votes go with it."),
        "groupTitle": _("Which group are you in?"),
        "groupText": _(
            "Say it once. Your answers are counted for that group, so the room can compare the "
            "groups; nothing else about you or this phone is kept."
        ),
        "groupSaid": _("✓ Thank you: your answers count for that group."),
        "sending": _("Sending…"),
        "joined": _("✓ You are voting as {name}"),
        "tryAgain": _("That did not work; try again."),
        "previous": _("← Previous"),
        "next": _("Next →"),
        "boxOf": _("Box {n} of {total} · {done} rated"),
        "received": _("✓ received: {choice}"),
        "voteLost": _("Your vote did not reach the laptop; try again."),
        "writeFirst": _("Write something first."),
        "noteReceived": _("✓ received: your note waits for the facilitator."),
        "noteLost": _("Your note did not reach the laptop; try again."),
        "connected": _("Connected to the laptop."),
        "lost": _("Lost the laptop; trying again…"),
        "chooseAgain": _("The facilitator has let this phone choose again."),
        "unknown": _("This phone is not known here any more; open the join address again."),
    }


def _page_text() -> dict[str, str]:
    return {
        "title": _("Workshop voting"),
        "connecting_title": _("Connecting to the laptop…"),
        "connecting_text": _("This page follows the facilitator by itself."),
        "note_title": _("Send a note"),
        "note_label": _("A note for the facilitator (they read it before sharing it)"),
        "note_send": _("Send the note"),
        "connecting": _("Connecting…"),
        "noscript": _("This page needs JavaScript; please turn it on in your browser's settings."),
        "languages_label": _("Language"),
        "join_title": _("Join the workshop"),
        "code_intro": _("Type the room code shown on the projector."),
        "code_label": _("Room code"),
        "code_join": _("Join"),
    }


def _template(name: str) -> str:
    return resources.files("coprod_desktop.resources").joinpath("phone", name).read_text("utf-8")


_FIELD = re.compile(r"\{([a-z_]+)\}")


def _fill(template: str, fields: Mapping[str, str]) -> str:
    # One pass: a filled-in value is never read again for fields of its own.
    return _FIELD.sub(lambda found: fields.get(found.group(1), found.group(0)), template)


def _switch(language: str, languages: Sequence[str], link: str) -> str:
    """The language switch: a link per language, each named in its own language."""
    if len(languages) < 2:
        return ""
    items = []
    for tag in languages:
        name = html.escape(name_of(tag))
        own = f'lang="{tag}" dir="{direction(tag)}"'
        if tag == language:
            items.append(f'<li><a {own} aria-current="true" href="{link}{tag}">{name}</a></li>')
        else:
            items.append(f'<li><a {own} hreflang="{tag}" href="{link}{tag}">{name}</a></li>')
    label = html.escape(_("Language"))
    return f'<nav class="languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>'


def render_page(language: str, languages: Sequence[str]) -> str:
    """The voting page in `language`, with its switch among `languages`."""
    with using(language):
        text = {k: html.escape(v) for k, v in _page_text().items()}
        strings = json.dumps(script_strings(), ensure_ascii=False)
    # A JSON block is data: "<" escaped, so no text can close the element early.
    strings = strings.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _fill(
        _template("index.html"),
        {
            **text,
            "lang": html.escape(language),
            "dir": direction(language),
            "languages": _switch(language, languages, "?lang="),
            "strings": strings,
        },
    )


def render_code_page(language: str, message: str) -> str:
    """The page where a room code is typed, in `language`; `message` is already translated."""
    with using(language):
        text = {k: html.escape(v) for k, v in _page_text().items()}
    return _fill(
        _template("code.html"),
        {**text, "lang": html.escape(language), "dir": direction(language), "message": html.escape(message)},
    )
