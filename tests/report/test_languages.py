"""The handout in the session's language, in a second language, and as Easy Read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf._page import PageObject

from coprod_desktop.app import main
from coprod_desktop.domain.model import replace
from coprod_desktop.report.pdf import ReportOptions, build_pdf
from coprod_desktop.storage.sessionfile import SessionFile

from ..test_cli import headless_env
from .helpers import pdf_text, sample

REPO = Path(__file__).resolve().parents[2]


def test_a_welsh_session_exports_a_welsh_pdf_from_the_command_line_with_no_display(tmp_path: Path) -> None:
    session = sample()
    session.put(replace(session.info, language="cy"))
    session_file = tmp_path / "gweithdy.coprod"
    SessionFile.create(session_file, session).close()
    out = tmp_path / "cy.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "coprod_desktop", "export", str(session_file), "--pdf", str(out)],
        capture_output=True,
        text=True,
        env=headless_env(),
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    for welsh in ("Crynodeb o'r gweithdy", "Pwy gymerodd ran", "Nodiadau o'r diwrnod", "Tudalen 2 o"):
        assert welsh in text, welsh
    assert "Workshop summary" not in text
    assert "Who took part" not in text
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "cy"
    assert "PySide6" not in done.stderr


def test_the_language_option_overrides_the_session_language(tmp_path: Path) -> None:
    session_file = tmp_path / "english.coprod"
    assert main(["demo", str(session_file)]) == 0
    out = tmp_path / "cy.pdf"
    assert main(["export", str(session_file), "--pdf", str(out), "--language", "cy"]) == 0
    assert "Pwy gymerodd ran" in pdf_text(out)
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "cy"


def test_an_unknown_language_is_one_plain_sentence(tmp_path: Path) -> None:
    session_file = tmp_path / "s.coprod"
    assert main(["demo", str(session_file)]) == 0
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coprod_desktop",
            "export",
            str(session_file),
            "--pdf",
            str(tmp_path / "x.pdf"),
            "--language",
            "xx",
        ],
        capture_output=True,
        text=True,
        env=headless_env(),
        check=False,
        timeout=120,
    )
    assert done.returncode != 0
    assert "no translation for 'xx'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_second_language_prints_the_handout_again(tmp_path: Path) -> None:
    out = tmp_path / "two.pdf"
    one = build_pdf(sample(), tmp_path / "one.pdf", ReportOptions(paper="a4"))
    two = build_pdf(sample(), out, ReportOptions(paper="a4", second_language="cy"))
    assert two.pages > one.pages
    text = pdf_text(out)
    assert text.index("Who took part") < text.index("Pwy gymerodd ran")


def test_the_easy_read_handout_is_short_large_and_plain(tmp_path: Path) -> None:
    out = tmp_path / "easy.pdf"
    result = build_pdf(sample(), out, ReportOptions(paper="a4", easy_read=True))
    full = build_pdf(sample(), tmp_path / "full.pdf", ReportOptions(paper="a4"))
    assert result.pages < full.pages
    text = pdf_text(out)
    assert "Easy Read summary" in text
    assert "What we will do next" in text
    assert "★" in text  # the symbol beside the agreed rung
    sizes: list[float] = []

    def visit(chunk: str, cm: object, tm: object, font: object, size: float) -> None:
        if chunk.strip() and not chunk.strip().isdigit() and "Page" not in chunk:
            sizes.append(size * abs(tm[0]))  # type: ignore[index]

    for page in PdfReader(out).pages:
        page.extract_text(visitor_text=visit)
    assert min(sizes) >= 16
    lines = [line for line in text.splitlines() if line.strip() and "Page" not in line]
    assert max(len(line.split()) for line in lines) <= 14  # short lines, one idea each


def test_easy_read_in_welsh(tmp_path: Path) -> None:
    out = tmp_path / "hawdd.pdf"
    build_pdf(sample(), out, ReportOptions(paper="a4", easy_read=True, language="cy"))
    text = pdf_text(out)
    assert "Crynodeb Hawdd ei Ddeall" in text
    assert "Diolch am ddod." in text


def test_no_english_of_our_own_is_left_in_a_welsh_report(tmp_path: Path) -> None:
    """A Welsh session's facilitator report has none of the catalogue's English left: the
    handout's own words, and the domain's sentences too (the matrix's rules and reading,
    the canvas's reading and zone names, the turnout and the scenario score)."""
    from babel.messages.pofile import read_po

    from coprod_desktop.domain import canvas as canvas_rules
    from coprod_desktop.domain import matrix as matrix_rules
    from coprod_desktop.domain.i18n import using
    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.storage.templates import load_builtin_template

    with (REPO / "resources" / "locale" / "cy" / "LC_MESSAGES" / "coprod.po").open("rb") as stream:
        catalogue = read_po(stream, locale="cy")
    session = build_sample(load_builtin_template(language="cy"))
    session.put(replace(session.info, language="cy"))
    out = tmp_path / "cy.pdf"
    build_pdf(session, out, ReportOptions(paper="a4", facilitator=True))
    text = " ".join(pdf_text(out).split())
    # The domain's sentences, in English, are not in the Welsh handout; in Welsh they are.
    placed = matrix_rules.classify(session)
    assert placed is not None
    english = [placed.reason, *(rule.text for rule in placed.rules), *canvas_rules.reading(session)]
    with using("cy"):
        placed_cy = matrix_rules.classify(session)
        assert placed_cy is not None
        welsh = [placed_cy.reason, *(rule.text for rule in placed_cy.rules), *canvas_rules.reading(session)]
    for sentence, translated in zip(english, welsh, strict=True):
        assert sentence != translated
        assert " ".join(sentence.split()) not in text
    assert any(line.startswith("Cydgynhyrchu: mae pob cyfnod") for line in welsh)
    pairs = [(m.id, m.string) for m in catalogue if m.id]
    checked = 0
    left: list[str] = []
    for source, translated in pairs:
        forms = source if isinstance(source, tuple) else (source,)
        targets = " ".join(translated) if isinstance(translated, tuple) else translated
        for form in forms:
            # The longest fixed piece of the English, between placeholders.
            piece = max((" ".join(part.split()) for part in form.replace("}", "{").split("{")[::2]), key=len)
            if len(piece) < 8 or piece in targets:
                continue  # too short to tell apart, or the same in both languages
            if piece in text:
                left.append(form)
            checked += 1
    assert left == []
    assert checked > 150


def _logical(text: str) -> str:
    """pdftotext's text without the direction marks and embeddings it wraps runs in."""
    marks = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
    return " ".join(text.translate(marks).split())


def test_an_arabic_handout_reads_from_the_right_and_back_in_logical_order(tmp_path: Path) -> None:
    """`export --language ar`: /Lang ar, every paragraph aligned right and laid out from the
    right, and the text read back in the order it was written."""
    import shutil

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    session_file = tmp_path / "s.coprod"
    assert main(["demo", str(session_file)]) == 0
    out = tmp_path / "ar.pdf"
    assert main(["export", str(session_file), "--pdf", str(out), "--language", "ar"]) == 0
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "ar"
    shown = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = _logical(shown)
    for arabic in (
        "ملخص ورشة العمل",
        "لكل من شارك.",  # pdftotext takes an Arabic comma "،" to the next word: not checked here
        "ما اتفقنا عليه",
        "ما تشير إليه التقييمات",
        "اقرأ القواعد من الأعلى؛ أول قاعدة تنطبق هي التي تحدد موقع العمل.",
    ):
        assert arabic in text, arabic
    assert "Workshop summary" not in text
    # Laid out from the right: a body line of Arabic ends at the right margin, not the left.
    layout = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import re

    page_width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))  # type: ignore[union-attr]
    words = [
        (float(x_min), float(x_max), word)
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout
        )
    ]
    arabic_words = [w for w in words if any("\u0600" <= char <= "\u06ff" for char in w[2])]
    assert arabic_words
    rightmost = max(x_max for _, x_max, _ in arabic_words)
    assert rightmost > page_width * 0.85
    assert min(x_min for x_min, _, _ in arabic_words) > page_width * 0.05


def test_an_arabic_session_prints_its_arabic_workshop(tmp_path: Path) -> None:
    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.storage.templates import load_builtin_template

    session = build_sample(load_builtin_template(language="ar"))
    assert session.info.language == "ar"
    out = tmp_path / "ar.pdf"
    build_pdf(session, out, ReportOptions(paper="a4", second_language="cy"))
    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    text = pdf_text(out)
    assert "Pwy gymerodd ran" in text  # the second language, Welsh, after the Arabic
    import shutil

    if shutil.which("pdftotext") is not None:
        shown = _logical(
            subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        )
        # The canvas picture's words, shaped and in reading order: its axis labels (a mark
        # over a letter, as in the title's "يخطّط", comes out of pdftotext apart).
        assert "المهنيون" in shown
        assert "الطرفان معًا" in shown or "الطرفان معً ا" in shown


@pytest.mark.parametrize("language", ["en-GB", "cy", "ar"])
def test_the_agendas_column_headings_stand_apart_in_every_language(language: str) -> None:
    """The first column was as wide as "Starts" needs: Welsh "Yn dechrau" ran on into "Cam"."""
    import io

    from coprod_desktop.domain.i18n import _, using
    from coprod_desktop.report.fonts import BOLD
    from coprod_desktop.report.pdf import render_pdf
    from coprod_desktop.report.shaping import text_width

    data = render_pdf(sample(), ReportOptions(paper="a4", language=language))
    with using(language):
        starts, step = _("Starts"), _("Step")
    for page in PdfReader(io.BytesIO(data)).pages:
        where = _where_and_size(page)
        if starts in where and step in where:
            break
    else:
        pytest.fail(f"no agenda found in {language}")
    (x_starts, size), (x_step, _size) = where[starts], where[step]
    width = text_width(starts, BOLD, size)
    gap = 3  # points between the two headings at the least, as between any two columns' words
    if x_starts < x_step:  # read from the left: "Starts" ends before "Step" begins
        assert x_starts + width + gap <= x_step, (x_starts, width, x_step)
    else:  # from the right: "Step" ends before "Starts" begins
        assert x_step + text_width(step, BOLD, size) + gap <= x_starts, (x_step, x_starts)


def _where_and_size(page: PageObject) -> dict[str, tuple[float, float]]:
    """Each piece of the page's text: where it begins from the left, and its size, in points."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found[text.strip()] = (tm[4] * cm[0] + cm[4], size * tm[0] * cm[0])

    page.extract_text(visitor_text=visit)
    return found
