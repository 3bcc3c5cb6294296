"""The plain ways the app is started are read without building argparse's parser, to the same result."""

from __future__ import annotations

import pytest

from coprod_desktop.app import _gui_parser, _plain_gui_options

PLAIN = [
    [],
    ["session.coprod"],
    ["session.coprod", "--quit-after-startup"],
    ["--quit-after-startup", "session.coprod"],
    ["--phones", "session.coprod"],
    ["session.coprod", "--phones", "--quit-after-startup"],
    ["--quit-after-startup"],
    [""],
    ["a folder/the session.coprod"],
    ["@session.coprod"],
    ["demo.coprod"],
]
FOR_ARGPARSE = [
    ["one.coprod", "two.coprod"],
    ["--quit"],  # an abbreviation
    ["-h"],
    ["--help"],
    ["--version"],
    ["session.coprod", "--port", "9000", "--phones"],
    ["session.coprod", "--bind=10.0.0.2", "--phones"],
    ["--phones", "--phones", "session.coprod"],
    ["--", "session.coprod"],
    ["-1"],
    ["--frobnicate"],
]


@pytest.mark.parametrize("args", PLAIN)
def test_plain_starts_read_as_argparse_reads_them(args: list[str]) -> None:
    quick = _plain_gui_options(args)
    assert quick is not None
    slow = _gui_parser().parse_args(args)
    assert list(vars(quick).items()) == list(vars(slow).items())


@pytest.mark.parametrize("args", FOR_ARGPARSE)
def test_anything_else_is_left_to_argparse(args: list[str]) -> None:
    assert _plain_gui_options(args) is None
