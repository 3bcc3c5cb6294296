"""Helpers for the report tests: sessions with names in many alphabets, and a PDF's text."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from coprod_desktop.domain.model import Action, Note, RoleGroup, Session, replace
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template

# Names in Polish, Greek, Cyrillic and Vietnamese, and names that look like markup or entities.
NAMES: tuple[tuple[str, RoleGroup], ...] = (
    ("Zażółć Gęślą", RoleGroup.USES_SERVICES),
    ("Νίκος Παπαδόπουλος", RoleGroup.USES_SERVICES),
    ("Ольга Смирнова", RoleGroup.CARER),
    ("Nguyễn Thị Hương", RoleGroup.COMMUNITY),
    ("<b>x</b>", RoleGroup.FRONTLINE),
    ("&amp;", RoleGroup.MANAGER),
    ("&lt;", RoleGroup.RESEARCHER),
    ("Łukasz <i>Żak</i> & Co", RoleGroup.FRONTLINE),
)

MARKUP = "<b>not bold</b> & &amp; <font>"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sample() -> Session:
    return build_sample(load_builtin_template())


def many_alphabets(*, markup_text: bool = True) -> Session:
    """The sample, with its people renamed to NAMES (votes follow them), and markup-like text."""
    session = sample()
    people = session.participants
    for index, person in enumerate(people):
        name, role = NAMES[index % len(NAMES)]
        if index >= len(NAMES):
            name = f"{name} {index}"
        session.put(replace(person, name=name, role=role))
    if markup_text:
        session.put(replace(session.info, title=f"Workshop {MARKUP}", facilitator="Zażółć Gęślą Jaźń"))
        session.put(Note(id="markup", text=MARKUP, position=99))
        session.put(Action(id="markup", what=MARKUP, who="<b>x</b>", due="soon & &lt;later&gt;", position=99))
    return session


def pdf_text(source: Path | bytes) -> str:
    """All the text of a PDF, NFC-normalised, pages joined by newlines."""
    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    return nfc("\n".join(page.extract_text() for page in reader.pages))


def flat(text: str) -> str:
    """Text with every run of white space made one space: table cells may wrap a line."""
    return " ".join(text.split())
