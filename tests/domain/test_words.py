"""The shared words and the one number format of every view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod_desktop.domain import words
from coprod_desktop.domain.matrix import average_text, thresholds
from coprod_desktop.domain.readiness import MET_FROM, PARTLY_FROM
from coprod_desktop.domain.readiness import average_text as readiness_average


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "–"), (0.0, "0.0"), (1.25, "1.2"), (1.26, "1.3"), (-0.01, "0.0"), (3.999, "4.0")],
)
def test_one_decimal(value: float | None, text: str) -> None:
    assert words.one_decimal(value) == text


@given(
    points=st.integers(min_value=2, max_value=10),
    share=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_an_average_never_shows_on_the_other_side_of_a_rule(points: int, share: float) -> None:
    value = share * (points - 1)
    shown = average_text(value, points)
    whole, _, decimals = shown.partition(".")
    assert len(decimals) == 1, shown  # one decimal, always
    assert abs(float(shown) - value) <= 0.1 + 1e-9
    for threshold in thresholds(points):
        assert (value >= threshold) == (float(shown) >= threshold - 1e-9), (value, shown, threshold)


def test_readiness_averages_respect_their_thresholds() -> None:
    assert readiness_average(MET_FROM - 0.04) == "2.9"
    assert readiness_average(MET_FROM) == "3.0"
    assert readiness_average(PARTLY_FROM - 0.01) == "1.9"
    assert readiness_average(None) == "–"


def test_gap_and_split_sentences_name_the_higher_side() -> None:
    assert words.gap_text(1.0, 2.25) == "▲ staff +1.2"
    assert words.gap_text(3.0, 1.0) == "▲ lived +2.0"
    assert words.gap_text(None, 1.0) == ""
    assert words.split_sentence(1.0, 2.5) == (
        "People with lived experience rate 1.0 on average, staff and professionals 2.5: staff 1.5 higher."
    )
    assert words.split_sentence(2.0, 2.02).endswith(": no gap.")
    assert words.split_sentence(None, 2.0) == ""
