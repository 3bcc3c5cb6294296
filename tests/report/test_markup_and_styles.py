"""Escaping user text, hiding names, and the one palette the app and the report share."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from coprod_desktop.domain import matrix
from coprod_desktop.domain.model import Participant, RoleGroup
from coprod_desktop.report import styles
from coprod_desktop.report.fonts import register_fonts
from coprod_desktop.report.markup import NameRedactor, clean, esc, esc_lines, format_date
from coprod_desktop.report.sections import Sheet


@pytest.mark.parametrize(
    "typed",
    ["<b>not bold</b> & &amp; <font>", "&lt;", "<para>", "a < b > c", "<br/>", "&#169;", "]]>"],
)
def test_escaped_text_parses_back_to_exactly_what_was_typed(typed: str) -> None:
    register_fonts()
    paragraph = Paragraph(esc(typed), Sheet(large_print=False).body)
    assert "".join(frag.text for frag in paragraph.frags) == typed


def test_line_breaks_are_kept_only_when_asked() -> None:
    assert esc("one\ntwo") == "one two"
    assert esc_lines("one & two\r\nthree\n") == "one &amp; two<br/>three"


def test_clean_removes_what_has_no_glyph() -> None:
    assert clean("a\x00b\x07c\td\u0085e") == "abc    de"
    assert clean("x\ud83dy") == "x\ufffdy"


def test_dates() -> None:
    assert format_date("2026-11-19") == "19 November 2026"
    assert format_date(" next Tuesday ") == "next Tuesday"
    assert format_date("2026-02-30") == "2026-02-30"


def test_redactor_replaces_full_and_first_names_with_roles() -> None:
    people = [
        Participant("a", "Aroha Ngata", RoleGroup.MANAGER),
        Participant("b", "Νίκος Παπαδόπουλος", RoleGroup.USES_SERVICES),
        Participant("c", "Jo Li", RoleGroup.CARER),  # a first name too short to hunt for
        Participant("d", "Aroha Smith", RoleGroup.CARER),  # shares a first name
    ]
    redact = NameRedactor(people, enabled=True)
    assert redact("Aroha Ngata will ask") == "[manager or commissioner] will ask"
    assert redact("Aroha will ask") == "[a participant] will ask"
    assert redact("Νίκος agreed; Νίκος Παπαδόπουλος too.") == "[uses services] agreed; [uses services] too."
    assert redact("Jo Li and Jo") == "[carer or family] and Jo"
    assert redact("Arohanui is a word") == "Arohanui is a word"  # whole words only
    assert NameRedactor(people, enabled=False)("Aroha Ngata") == "Aroha Ngata"


def test_the_report_keeps_no_palette_or_contrast_of_its_own() -> None:
    # One palette for screen and paper: the report paints with domain.matrix's functions.
    for copy in ("heat_colour", "text_colour_on", "relative_luminance", "HEAT_PALETTE"):
        assert not hasattr(styles, copy), copy


def test_heat_palette_gets_lighter_so_greyscale_keeps_the_order() -> None:
    shades = [matrix.relative_luminance(matrix.heat_colour(i / 10)) for i in range(11)]
    assert shades == sorted(shades)
    assert shades[-1] - shades[0] > 0.6


def test_text_on_every_heat_colour_has_enough_contrast() -> None:
    for step in range(21):
        background = matrix.heat_colour(step / 20)
        ink = matrix.text_colour_for(background)
        assert matrix.contrast(background, ink) >= 4.5, background
