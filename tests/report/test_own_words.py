"""The report's own words in a Welsh or Arabic PDF: the list of cards, the secret ballots
handed in, a copy without names, large print, and the sentences a failed save shows."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from coprod_desktop.domain.changes import apply_changes
from coprod_desktop.domain.i18n import using
from coprod_desktop.domain.matrix import set_mode
from coprod_desktop.domain.model import BallotCast, Participant, RoleGroup, Session, VotingMode, replace
from coprod_desktop.domain.voting import Ballot, cell_question
from coprod_desktop.report.pdf import ReportError, ReportOptions, build_pdf

from .helpers import flat, pdf_text, sample
from .test_languages import _logical

# pdftotext reads a line of Arabic and Latin back with its punctuation and some vowel marks
# moved ("الآن :المهنيون"): the Arabic below is of words whole, without punctuation.
# The English the report used to print in every language, whatever the catalogue said.
ENGLISH = (
    "Where we want it",
    "The cards",
    " · from ",
    "(no text)",
    "Secret ballots handed in",
    "Matrix boxes",
    "Who handed in a secret ballot",
    "cast by name",
    "secret ballot was handed in",
    "This copy leaves names out",
)
LARGE_ENGLISH = ("Now: ", "We want: ")

WORDS = {
    "cy": (
        "Cerdyn",
        "Nawr",
        "Lle rydym ni eisiau iddo fod",
        "Y cardiau",
        " · gan ",
        "(dim testun)",
        "Pleidleisiau cudd a roddwyd",
        "Blychau'r matrics",
        "Pwy roddodd bleidlais gudd",
    ),
    "ar": (
        "أين نريدها أن تكون",
        "البطاقات",
        "(بلا نص)",
        "أوراق الاقتراع السري المسلَّمة",
        "خانات المصفوفة",
        "سلّم ورقة اقتراع سري",
    ),
}
UNNAMED = {
    "cy": ("wrth enw.", "Rhoddwyd 1 bleidlais gudd.", "Mae'r copi hwn yn gadael enwau allan"),
    "ar": ("صوتًا بالاسم", "ورقة اقتراع سري واحدة", "هذه النسخة لا تذكر الأسماء"),
}
# In large print each card says where it is now and where we want it, a word and a colon.
LARGE = {"cy": ("Nawr", "Rydym ni eisiau"), "ar": ("الآن", "نريدها")}


def workshop() -> Session:
    """The sample, its cards written by its people (one card blank), and one secret ballot."""
    session = sample()
    people = session.participants
    for index, card in enumerate(session.cards):
        session.put(replace(card, participant_id=people[index % len(people)].id, text=card.text if index else ""))
    secret = Participant("p-secret", "Siân Secret", RoleGroup.CARER, len(people))
    session.put(secret)
    apply_changes(session, set_mode(session, VotingMode.SECRET))
    ballot = Ballot.open(session, VotingMode.SECRET, secret.id)
    box = cell_question(session.criteria[0].id, session.stages[0].id)
    apply_changes(session, ballot.cast(session, box, "2"))
    ballot.seal()
    assert session.count(BallotCast) == 1
    return session


def read(path: Path, language: str) -> str:
    """The PDF's text; Arabic through pdftotext, in reading order, as the other Arabic tests read it."""
    if language != "ar":
        return " ".join(pdf_text(path).split())
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return _logical(shown)


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_the_report_prints_none_of_its_own_english(tmp_path: Path, language: str) -> None:
    session = workshop()
    named, unnamed, large = tmp_path / "named.pdf", tmp_path / "unnamed.pdf", tmp_path / "large.pdf"
    build_pdf(session, named, ReportOptions(paper="a4", language=language, facilitator=True))
    build_pdf(session, unnamed, ReportOptions(paper="a4", language=language, facilitator=True, names=False))
    build_pdf(session, large, ReportOptions(paper="a4", language=language, large_print=True))
    texts = {name: read(path, language) for name, path in (("named", named), ("unnamed", unnamed), ("large", large))}
    everything = " ".join(texts.values())
    left = [english for english in (*ENGLISH, *LARGE_ENGLISH) if english in everything]
    assert left == []
    missing = [word for word in WORDS[language] if word not in texts["named"]]
    missing += [word for word in UNNAMED[language] if word not in texts["unnamed"]]
    cards = len(session.cards)
    missing += [w for w in LARGE[language] if len(re.findall(re.escape(w) + r"\s*:", texts["large"])) < cards]
    assert missing == []
    if language == "cy":  # nor another language's words (a catalogue filled from the wrong one)
        assert re.findall("[\u0600-\u06ff]+", everything) == []


def test_the_english_report_keeps_its_words(tmp_path: Path) -> None:
    session = workshop()
    named, unnamed = tmp_path / "named.pdf", tmp_path / "unnamed.pdf"
    build_pdf(session, named, ReportOptions(paper="a4", facilitator=True))
    build_pdf(session, unnamed, ReportOptions(paper="a4", facilitator=True, names=False))
    text = flat(pdf_text(named))
    for english in ("Where we want it", "The cards", " · from ", "(no text)", "Secret ballots handed in"):
        assert english in text, english
    assert "votes were cast by name. 1 secret ballot was handed in. This copy leaves names out" in flat(
        pdf_text(unnamed)
    )


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("cy", "Nid yw'r ffolder"), ("ar", "غير موجود، لذا لا يمكن حفظ ملف PDF فيه.")],
)
def test_a_failed_save_says_why_in_the_language(tmp_path: Path, language: str, sentence: str) -> None:
    with using(language), pytest.raises(ReportError) as raised:
        build_pdf(sample(), tmp_path / "no such folder" / "out.pdf", ReportOptions(paper="a4"))
    assert sentence in str(raised.value)
    assert str(tmp_path / "no such folder") in str(raised.value)
