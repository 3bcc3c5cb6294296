"""The PDF report: every name in every alphabet, exact text, options, metadata, outline, safety."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coprod_desktop.domain.model import Note, Participant, Session, StepKind, Vote, replace
from coprod_desktop.domain.sample import PEOPLE
from coprod_desktop.domain.scenarios import term_name
from coprod_desktop.domain.voting import cell_question
from coprod_desktop.report import pdf as pdf_module
from coprod_desktop.report.pdf import ReportError, ReportOptions, build_pdf, default_paper, render_pdf

from .helpers import MARKUP, NAMES, flat, many_alphabets, nfc, pdf_text, sample


@pytest.fixture(scope="module")
def alphabets() -> Session:
    return many_alphabets()


@pytest.fixture(scope="module")
def handout(alphabets: Session) -> str:
    return pdf_text(render_pdf(alphabets, ReportOptions(paper="a4")))


@pytest.fixture(scope="module")
def facilitator_report(alphabets: Session) -> str:
    return pdf_text(render_pdf(alphabets, ReportOptions(paper="a4", facilitator=True)))


@pytest.fixture(scope="module")
def anonymous() -> str:
    # Without the markup-like note: "&amp;" there is text, not the participant called "&amp;".
    session = many_alphabets(markup_text=False)
    return pdf_text(render_pdf(session, ReportOptions(paper="a4", names=False, facilitator=True)))


# --- names and exact text ------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name, _ in NAMES])
def test_every_participant_is_named_exactly(handout: str, name: str) -> None:
    assert nfc(name) in handout


def test_the_sample_names_print_in_their_own_letters() -> None:
    text = pdf_text(render_pdf(sample(), ReportOptions(paper="a4")))
    for name, _role in PEOPLE:
        assert nfc(name) in text, name


def test_text_that_looks_like_markup_prints_as_typed(handout: str) -> None:
    flat_text = flat(handout)
    assert MARKUP in flat_text  # the note
    assert f"Workshop {MARKUP}" in flat_text  # the title, on the cover
    assert "soon & &lt;later&gt;" in flat_text  # a due date
    for literal in ("<b>x</b>", "&amp;", "&lt;", "Łukasz <i>Żak</i> & Co"):
        assert literal in handout


def test_the_running_header_carries_the_title_as_typed(handout: str) -> None:
    # Drawn on every page but the cover, as plain text, never parsed as markup.
    assert handout.count(f"Workshop {MARKUP}") >= 3


def test_page_numbers_say_how_many_pages_there_are(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    pages = build_pdf(sample(), out, ReportOptions(paper="a4")).pages
    text = pdf_text(out)
    assert re.findall(r"Page (\d+) of", text) == [str(n) for n in range(1, pages + 1)]
    # The total, written into each page when the document is saved, is read by poppler too.
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    shown = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r"Page (\d+) of (\d+)", shown)
    assert [int(n) for n, _ in found] == list(range(1, pages + 1))
    assert {int(total) for _, total in found} == {pages}


@pytest.mark.parametrize(
    ("language", "large_print"), [("en-GB", False), ("cy", False), ("ar", False), ("en-GB", True)]
)
def test_each_footer_reads_as_one_line(language: str, large_print: bool) -> None:
    """ "Page 3 of 12" is one line of the page's text, in every language of the handout. Before,
    the total stood in a form of its own, which a reader takes as a block apart: pypdf read
    "Page 3 of" and "12" as two lines."""
    from coprod_desktop.domain.i18n import _, using

    reader = PdfReader_bytes(
        render_pdf(sample(), ReportOptions(paper="a4", language=language, large_print=large_print))
    )
    total = len(reader.pages)
    marks = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
    for number, page in enumerate(reader.pages, start=1):
        with using(language):
            footer = _("Page {page} of ").format(page=number) + str(total)
        words = footer.split()
        if language == "ar":
            words.reverse()  # a line read from the right comes out as it stands, from the left
        lines = [" ".join(line.translate(marks).split()) for line in page.extract_text().splitlines()]
        assert " ".join(words) in lines, (number, footer, lines[-3:])


def PdfReader_bytes(data: bytes) -> PdfReader:  # noqa: N802 - reads like the class it wraps
    import io

    return PdfReader(io.BytesIO(data))


# --- anonymous ------------------------------------------------------------------------------


def test_anonymous_report_names_nobody(anonymous: str) -> None:
    for person in many_alphabets(markup_text=False).participants:
        assert nfc(person.name) not in anonymous, person.name
    assert "This copy leaves out everyone's name." in flat(anonymous)


def test_anonymous_report_also_hides_names_typed_into_free_text() -> None:
    session = sample()
    text = pdf_text(render_pdf(session, ReportOptions(paper="a4", names=False)))
    for name, _role in PEOPLE:
        assert nfc(name) not in text
        first = name.split()[0]
        assert re.search(rf"(?<!\w){re.escape(nfc(first))}(?!\w)", text) is None, first
    # The note "...; Aroha will ask the board." keeps its sense, with her role for her name.
    assert "[manager or commissioner] will ask the board" in flat(text)
    assert "Maya Okafor" in text  # the facilitator is not a participant


# --- the facilitator's report ----------------------------------------------------------------


def test_facilitator_report_lists_every_named_vote(alphabets: Session, facilitator_report: str) -> None:
    text = flat(facilitator_report)
    assert "Every count" in text
    assert "Every vote" in text
    people = {p.id: p for p in alphabets.participants}
    matrix_votes = [v for v in alphabets.votes if v.question.startswith("cell/")]
    scenario_votes = [v for v in alphabets.votes if v.question.startswith("scenario/")]
    assert matrix_votes
    assert scenario_votes
    # Each voter appears once per vote table they voted in: six matrix rows plus the scenarios.
    for person in people.values():
        tables = len(alphabets.criteria) + 1
        assert facilitator_report.count(nfc(person.name)) >= tables + 1, person.name  # +1: who took part
    # Every scenario vote's word is printed in the voter's row of the scenario table.
    scenario_part = text[text.index("Which is it? (✓ marks the answer)") :]
    for vote in scenario_votes:
        assert term_name(alphabets, vote.choice) in scenario_part


def test_facilitator_report_prints_every_matrix_vote_in_its_row(alphabets: Session) -> None:
    text = flat(pdf_text(render_pdf(alphabets, ReportOptions(paper="a4", facilitator=True))))
    votes_part = text[text.index("Every vote cast by name") :]
    for criterion in alphabets.criteria:
        for person in alphabets.participants:
            choices = [
                next(
                    (
                        v.choice
                        for v in alphabets.on_question(Vote, cell_question(criterion.id, stage.id))
                        if v.participant_id == person.id
                    ),
                    "–",
                )
                for stage in alphabets.stages
            ]
            row = " ".join([nfc(person.name), *choices])
            assert row in votes_part, (criterion.title, row)


def test_handout_has_no_vote_tables(alphabets: Session, handout: str) -> None:
    assert "Every vote" not in handout
    assert "Every count" not in handout


def test_facilitator_report_without_names_keeps_counts_but_no_voters(anonymous: str) -> None:
    text = flat(anonymous)
    assert "Every count" in text
    assert "cast by name. This copy leaves names out" in text


# --- options: paper, large print, metadata, outline ---------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_page_size_follows_the_paper_option(tmp_path: Path, paper: str, size: tuple[int, int]) -> None:
    out = tmp_path / "r.pdf"
    result = build_pdf(sample(), out, ReportOptions(paper=paper))  # type: ignore[arg-type]
    reader = PdfReader(out)
    assert len(reader.pages) == result.pages
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == size


def test_metadata_title_author_subject_and_language(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    session = sample()
    build_pdf(session, out, ReportOptions(paper="a4"))
    reader = PdfReader(out)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == session.info.title
    assert meta.author == session.info.facilitator
    assert meta.subject is not None
    assert session.info.purpose in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_outline_has_a_bookmark_for_each_section(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    build_pdf(sample(), out, ReportOptions(paper="a4"))
    reader = PdfReader(out)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    for section in (
        "About this workshop",
        "Agenda",
        "The words we used",
        "Which is it?",
        "How do we work now?",
        "Who holds the power?",
        "Should we co-produce?",
        "What will we do?",
        "Notes from the day",
        "Who took part",
    ):
        assert section in top
    # Each bookmark points at the page where its heading is.
    text_by_page = [page.extract_text() for page in reader.pages]
    for item in reader.outline:
        if not isinstance(item, list) and item.title != "About this workshop":
            page = reader.get_destination_page_number(item)
            assert item.title in text_by_page[page], item.title


def test_large_print_uses_bigger_type_and_more_pages() -> None:
    session = sample()
    normal = render_pdf(session, ReportOptions(paper="a4"))
    large = render_pdf(session, ReportOptions(paper="a4", large_print=True))
    assert len(PdfReader_bytes(large).pages) > len(PdfReader_bytes(normal).pages)

    def body_sizes(data: bytes) -> list[float]:
        sizes: list[float] = []

        def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
            if text.strip() and "Page" not in text:
                sizes.append(size * abs(tm[0]))  # type: ignore[index]

        PdfReader_bytes(data).pages[3].extract_text(visitor_text=visit)
        return sizes

    assert max(body_sizes(normal)) < 20
    assert sorted(body_sizes(large))[len(body_sizes(large)) // 2] >= 13  # the median line is big


def test_every_letter_is_drawn_in_an_embedded_subset_font(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    build_pdf(many_alphabets(), out, ReportOptions(paper="a4"))
    used: set[str] = set()

    def visit(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
        if text.strip() and font is not None:
            used.add(str(font["/BaseFont"]))

    for page in PdfReader(out).pages:
        page.extract_text(visitor_text=visit)
    # reportlab names a subset "AAAAAA+<font>", and embeds it with its glyphs.
    assert used == {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold", "/AAAAAA+DejaVuSans-Oblique"}, used
    descriptor = PdfReader(out).pages[0]["/Resources"]["/Font"]
    embedded = [
        font.get_object()
        for font in descriptor.values()
        if str(font.get_object()["/BaseFont"]).startswith("/AAAAAA+")
    ]
    assert embedded
    for font in embedded:
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the TrueType data itself


def _fonts_named(reader: PdfReader) -> dict[str, object]:
    """Every font a page, or a form on it, names in its resources."""
    found: dict[str, object] = {}

    def walk(resources: object) -> None:
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        if not isinstance(resources, dict):
            return
        for font in dict(resources.get("/Font", {}) or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobject in dict(resources.get("/XObject", {}) or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


@pytest.mark.parametrize("kind", ["handout", "facilitator", "easy-read", "welsh"])
def test_every_font_a_pdf_names_is_embedded(tmp_path: Path, kind: str) -> None:
    """No font the reader must supply: reportlab's starting Helvetica (of every page and of the
    canvas's drawing) was named, unembedded, in every handout."""
    out = tmp_path / f"{kind}.pdf"
    options = {
        "handout": ReportOptions(paper="a4"),
        "facilitator": ReportOptions(paper="a4", facilitator=True),
        "easy-read": ReportOptions(paper="a4", easy_read=True),
        "welsh": ReportOptions(paper="a4", language="cy"),
    }[kind]
    build_pdf(sample(), out, options)
    named = _fonts_named(PdfReader(out))
    assert named
    for name, font in named.items():
        assert name.startswith("/AAAAAA+"), f"{name} is named but not embedded as a subset"
        descriptor = (
            font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        )
        assert "/FontFile2" in descriptor.get_object(), name


def test_default_paper_from_the_locale() -> None:
    for name in ("en_US.UTF-8", "es_MX", "fr-CA", "en_PH", "en_US"):
        assert default_paper(name) == "letter", name
    for name in ("pl_PL.UTF-8", "en_GB", "el_GR", "ru_RU", "vi_VN", "C", "POSIX", "", "de"):
        assert default_paper(name) == "a4", name


def test_default_paper_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LC_PAPER", "en_US.UTF-8")
    assert default_paper() == "letter"
    monkeypatch.setenv("LC_ALL", "pl_PL.UTF-8")
    assert default_paper() == "a4"
    assert ReportOptions().paper == "a4"


def test_options_refuse_an_unknown_paper() -> None:
    with pytest.raises(ValueError, match="a4"):
        ReportOptions(paper="a3")  # type: ignore[arg-type]


# --- text that never breaks -------------------------------------------------------------------


def test_very_long_text_wraps_and_never_runs_off_the_page() -> None:
    session = sample()
    long_note = ("Zażółć gęślą jaźń, a long note about the day. " * 430)[:20_000]
    long_word = "Ż" + "x" * 2_998 + "Ω"
    session.put(Note(id="long", text=long_note, position=50))
    session.put(Note(id="word", text=long_word, position=51))
    first = session.actions[0]
    session.put(replace(first, what=long_word))  # in a table cell
    session.put(replace(session.criteria[0], title=long_word[:400]))  # a matrix row label
    session.put(replace(session.cards[0], text=long_word))
    data = render_pdf(session, ReportOptions(paper="letter", facilitator=True))
    reader = PdfReader_bytes(data)
    width = float(reader.pages[0].mediabox.width)
    text = pdf_text(data)
    # Every character of the word is there, broken across lines, none lost.
    joined = "".join(text.split())
    assert "Ż" + "x" * 2_998 + "Ω" in joined
    assert joined.count("Zażółćgęśląjaźń") >= 400

    # Nothing is drawn beyond the right margin.
    def check(page_index: int) -> None:
        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip():
                assert cm[4] + tm[4] <= width, (page_index, text[:20])

        reader.pages[page_index].extract_text(visitor_text=visit)

    for index in range(len(reader.pages)):
        check(index)


def test_control_characters_and_broken_surrogates_do_not_stop_the_report() -> None:
    session = sample()
    session.put(Note(id="odd", text="bell\x07 nul\x00 tab\tdone \ud800 end", position=60))
    text = flat(pdf_text(render_pdf(session, ReportOptions(paper="a4"))))
    assert "bell nul tab done" in text
    assert "\ufffd end" in text


def test_an_empty_session_still_makes_a_report() -> None:
    text = flat(pdf_text(render_pdf(Session(), ReportOptions(paper="a4"))))
    assert "Untitled workshop" in text
    assert "Page 1 of" in text


def test_hidden_steps_are_left_out_of_the_agenda() -> None:
    session = sample()
    welcome = next(s for s in session.steps if s.kind is StepKind.WELCOME)
    session.put(replace(welcome, hidden=True, title="A step nobody saw"))
    text = flat(pdf_text(render_pdf(session, ReportOptions(paper="a4"))))
    start = text.index("Starts Step Time")
    agenda = text[start : text.index("The words we used", start)]
    assert "A step nobody saw" not in agenda
    assert "0:00 What is co-production? 8 min" in agenda


def test_unrevealed_scenarios_are_marked(handout: str) -> None:
    assert handout.count("Not revealed in the room") >= 2


# --- never a half-written file -----------------------------------------------------------------


def test_a_failed_build_leaves_no_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"the previous report")

    def broken(*_args: object) -> list[object]:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf_module, "build_story", broken)
    with pytest.raises(RuntimeError, match="layout failed"):
        build_pdf(sample(), out, ReportOptions(paper="a4"))
    assert out.read_bytes() == b"the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_an_unwritable_place_is_one_plain_sentence(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"does not exist") as missing:
        build_pdf(sample(), tmp_path / "no" / "r.pdf", ReportOptions(paper="a4"))
    assert str(missing.value).endswith(".")
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ReportError, match="no permission"):
            build_pdf(sample(), locked / "r.pdf", ReportOptions(paper="a4"))


def test_progress_reports_every_page(tmp_path: Path) -> None:
    seen: list[int] = []
    result = build_pdf(sample(), tmp_path / "r.pdf", ReportOptions(paper="a4"), progress=seen.append)
    assert seen == list(range(1, result.pages + 1))


def test_the_report_follows_step_titles_the_facilitator_edited() -> None:
    session = sample()
    matrix_step = next(s for s in session.steps if s.kind is StepKind.MATRIX)
    session.put(replace(matrix_step, title="Rating our <partnership>"))
    assert "Rating our <partnership>" in pdf_text(render_pdf(session, ReportOptions(paper="a4")))


def test_names_of_removed_participants_do_not_break_the_vote_tables() -> None:
    session = sample()
    gone = session.participants[0]
    session.remove(Participant, gone.ident)
    text = flat(pdf_text(render_pdf(session, ReportOptions(paper="a4", facilitator=True))))
    votes = text[text.index("Every vote cast by name") :]
    assert "(someone since removed)" in votes
    assert gone.name not in votes
