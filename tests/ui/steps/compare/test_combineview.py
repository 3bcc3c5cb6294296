"""File > Combine Groups… walked as a facilitator would: pick the groups' files, see them
together, take one out, meet a workshop that does not match, and export the PDF and JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.followup import start_follow_up
from coprod_desktop.domain.model import replace
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.compare.combineview import CombineWindow

SHOTS = Path(os.environ.get("COPROD_SHOTS", "/tmp/shots-followups"))


def _group(folder: Path, name: str, seed: int, title: str) -> Path:
    session = build_sample(load_builtin_template(), seed=seed)
    session.put(replace(session.info, title=title, place=f"{title} office"))
    path = folder / name
    SessionFile.create(path, session).close()
    return path


@pytest.fixture
def group_files(tmp_path: Path) -> list[Path]:
    return [
        _group(tmp_path, "north.coprod", 3, "North team"),
        _group(tmp_path, "south.coprod", 11, "South team"),
        _group(tmp_path, "east.coprod", 29, "East team"),
    ]


def _wait(qtbot, window: CombineWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.busy and not window.pending(), timeout=20000)


def test_combine_groups_from_the_file_menu(  # type: ignore[no-untyped-def]
    window: MainWindow, group_files: list[Path], tmp_path: Path, qtbot
) -> None:
    before = [p.read_bytes() for p in group_files]
    file_menu = window.menuBar().actions()[0].menu()
    assert window.combine_action in file_menu.actions()
    assert window.combine_action.isEnabled()  # no session need be open
    combine = window.combine_groups(group_files[:2])
    assert isinstance(combine, CombineWindow)
    qtbot.addWidget(combine)
    _wait(qtbot, combine)
    assert combine.combined is not None
    assert [g.name for g in combine.combined.groups] == ["north.coprod", "south.coprod"]
    assert (
        combine.add_files([group_files[2], group_files[0]]) == 1
    )  # a file already listed is not added twice
    _wait(qtbot, combine)
    picture = combine.picture
    assert picture is not None
    texts = picture.texts()
    assert "3 groups combined" in texts
    # The combined matrix, each group's placement, where they differ most, readiness across them.
    assert set(picture.tables) == {"matrix", "groups", "differences", "readiness"}
    groups = picture.tables["groups"]
    assert groups.rowCount() == 3
    placements = [groups.item(row, 4).text() for row in range(3)]
    assert placements == [g.placement.name if g.placement else "–" for g in combine.combined.groups]
    matrix = picture.tables["matrix"]
    assert matrix.rowCount() == len(combine.combined.results.criteria)
    first = combine.combined.results.cell(0, 0)
    assert matrix.item(0, 1).text().startswith(f"{first.mean:.1f}\n{first.rated} ratings")
    # Nobody is named: no participant's name appears anywhere in the picture.
    session = build_sample(load_builtin_template(), seed=3)
    names = {p.name for p in session.participants}
    assert not any(name in text for text in texts for name in names)
    # Every part can be reached and read by name.
    for table in picture.tables.values():
        assert table.accessibleName()
        assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    assert combine.file_list.accessibleName() == "Groups' session files"

    # Keyboard: the list takes Delete to remove the file on it.
    combine.file_list.setFocus()
    combine.file_list.setCurrentRow(1)
    qtbot.keyClick(combine.file_list, Qt.Key.Key_Delete)
    assert [p.name for p in combine.paths] == ["north.coprod", "east.coprod"]
    _wait(qtbot, combine)
    assert [g.name for g in combine.combined.groups] == ["north.coprod", "east.coprod"]
    combine.add_files([group_files[1]])
    _wait(qtbot, combine)
    combine.resize(1366, 768)  # the smallest laptop the app supports
    SHOTS.mkdir(parents=True, exist_ok=True)
    combine.grab().save(str(SHOTS / "combine-window.png"))
    picture = combine.picture
    assert picture is not None
    picture.resize(1300, picture.sizeHint().height())
    picture.grab().save(str(SHOTS / "combine-picture.png"))

    # Export, through the report's writers, in the pool.
    pdf, data = tmp_path / "together.pdf", tmp_path / "together.json"
    assert combine.export_pdf(pdf)
    _wait(qtbot, combine)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert combine.export_json(data)
    _wait(qtbot, combine)
    document = json.loads(data.read_text(encoding="utf-8"))
    assert document["format"] == "coprod-combined"
    assert len(document["groups"]) == 3
    assert "Saved together.json." in combine.status.text()
    # An output that would replace an input is refused with a sentence.
    assert combine.export_json(group_files[0]) is None
    assert "is one of the sessions being combined" in combine.status.text()
    # The inputs are only read.
    assert [p.read_bytes() for p in group_files] == before
    combine.close()


def test_a_workshop_that_does_not_match_gets_one_sentence(  # type: ignore[no-untyped-def]
    group_files: list[Path], tmp_path: Path, qtbot
) -> None:
    other = build_sample(load_builtin_template(), seed=5)
    other.put(replace(other.matrix, scale=other.matrix.scale[:3]))
    odd = tmp_path / "odd.coprod"
    SessionFile.create(odd, other).close()
    combine = CombineWindow(None, [group_files[0], odd])
    qtbot.addWidget(combine)
    combine.show()
    _wait(qtbot, combine)
    assert combine.combined is None
    assert combine.picture is None
    message = combine.status.text()
    # One sentence names what differs and both files; a short piece of advice follows it.
    what = message.split(". ")[0]
    assert "north.coprod" in what
    assert "odd.coprod" in what
    assert "5 points" in what
    assert not combine.pdf_button.isEnabled()
    assert not combine.json_button.isEnabled()
    combine.grab().save(str(SHOTS / "combine-mismatch.png"))
    # Taking the odd one out brings the picture back.
    combine.file_list.setCurrentRow(1)
    combine.remove_selected()
    _wait(qtbot, combine)
    assert combine.combined is not None
    assert combine.problem == ""
    combine.close()


def test_a_follow_up_combines_with_its_earlier_run(  # type: ignore[no-untyped-def]
    tmp_path: Path, qtbot
) -> None:
    earlier = build_sample(load_builtin_template(), seed=8)
    first = tmp_path / "spring.coprod"
    SessionFile.create(first, earlier).close()
    later = tmp_path / "autumn.coprod"
    SessionFile.create(later, start_follow_up(earlier, keep_participants=True, date="2027-05-20")).close()
    combine = CombineWindow(None, [first, later])
    qtbot.addWidget(combine)
    _wait(qtbot, combine)
    assert combine.combined is not None
    assert [g.people for g in combine.combined.groups] == [12, 12]
    QApplication.processEvents()
    combine.close()


def test_a_file_that_is_not_a_session_is_named_in_one_sentence(  # type: ignore[no-untyped-def]
    group_files: list[Path], tmp_path: Path, qtbot
) -> None:
    notes = tmp_path / "notes.coprod"
    notes.write_text("not a database", encoding="utf-8")
    combine = CombineWindow(None, [group_files[0], notes])
    qtbot.addWidget(combine)
    _wait(qtbot, combine)
    assert combine.combined is None
    assert combine.status.text().startswith("notes.coprod is not a coprod-desktop session file")
    assert not combine.pdf_button.isEnabled()
    assert notes.read_text(encoding="utf-8") == "not a database"
    combine.close()
