"""Presenter mode and the clicker: keys only, the audience view, blackout, timer, screens."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import Reveal, StepKind
from coprod_desktop.domain.scenarios import term_name
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.steps.scenarios.scenarioswidget import FOCUS_KEY, ScenariosWidget
from tests.ui.steps.canvas.pictures import differences, first_frames


def test_walk_the_default_workshop_with_keys_only(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.new_session(tmp_path / "keys.coprod")
    document = window.document
    assert document is not None
    assert window.workshop is not None
    steps = document.session.visible_steps
    assert steps[0].kind is StepKind.WELCOME
    agenda = window.workshop.agenda
    agenda.setFocus()
    qtbot.waitUntil(agenda.hasFocus)
    stories = len(document.session.scenarios)
    seen = [document.session.current_step.title]  # type: ignore[union-attr]
    while document.session.current_step.kind is not StepKind.SUMMARY:  # type: ignore[union-attr]
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
        title = document.session.current_step.title  # type: ignore[union-attr]
        seen.append(title)
        assert window.workshop.step_view.heading.text() == title
    # Each "Which is it?" story is one press (not presenting: no pages), every other step one.
    expected = [
        t
        for s in steps[: len(set(seen))]
        for t in [s.title] * (stories if s.kind is StepKind.SCENARIOS else 1)
    ]
    assert seen == expected
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp)
    assert document.session.current_step == steps[len(set(seen)) - 2]

    # The same walk on the audience window, with the keys a clicker sends.
    document.set_current_step(steps[0].id)
    window.start_presenting()
    audience = window.presenter.window  # type: ignore[union-attr]
    assert audience is not None
    qtbot.waitExposed(audience)

    def press_until(target: int, keys: tuple[Qt.Key, ...]) -> None:
        for presses in range(200):
            if document.session.current_step == steps[target]:
                return
            qtbot.keyClick(audience, keys[presses % len(keys)])
        raise AssertionError(f"the clicker never reached {steps[target].title}")

    press_until(4, (Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Down))
    press_until(2, (Qt.Key.Key_Left, Qt.Key.Key_PageUp))
    assert audience.content.heading.text() == steps[2].title
    # Back into "Which is it?": on its last story, as a slide deck would.
    assert document.focus(FOCUS_KEY) == document.session.scenarios[-1].id

    qtbot.keyClick(audience, Qt.Key.Key_B)
    assert audience.blacked_out
    qtbot.keyClick(audience, Qt.Key.Key_B)
    assert not audience.blacked_out
    qtbot.keyClick(audience, Qt.Key.Key_Escape)
    assert not window.presenter.presenting  # type: ignore[union-attr]


def test_the_audience_never_sees_notes_or_hidden_results(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    # Hide every result, then look at every step as the room would.
    document.apply([Change(r, None) for r in document.session.reveals], "Hide everything")
    window.start_presenting()
    audience = window.presenter.window  # type: ignore[union-attr]
    assert audience is not None
    notes = [s.notes for s in document.session.steps if s.notes]
    assert notes
    explanations = [s.explanation for s in document.session.scenarios]
    for step in document.session.visible_steps:
        document.set_current_step(step.id)
        scenario_ids = [s.id for s in document.session.scenarios] if step.kind is StepKind.SCENARIOS else [""]
        for scenario_id in scenario_ids:
            if scenario_id:
                document.set_focus(FOCUS_KEY, scenario_id)
            QApplication.processEvents()
            shown = "\n".join(audience.texts_on_every_page())
            for note in notes:
                assert note[:60] not in shown, f"notes of a step shown on {step.title}"
            for explanation in explanations:
                assert explanation[:60] not in shown
            assert "Hidden from the room" not in shown  # console wording never leaks
            if step.kind is StepKind.SCENARIOS:
                tool = audience.content.tool(StepKind.SCENARIOS)
                assert isinstance(tool, ScenariosWidget)
                assert tool.chart.bars == []
                assert "have voted" in tool.status.text()
            if step.kind is StepKind.READINESS:
                assert "have rated" in shown
                for word in ("Missing", "Partly in place", "Not yet."):
                    assert word not in shown

    # Reveal one scenario: now, and only now, the room sees its answer.
    scenarios_step = next(s for s in document.session.steps if s.kind is StepKind.SCENARIOS)
    document.set_current_step(scenarios_step.id)
    first = document.session.scenarios[0]
    document.set_focus(FOCUS_KEY, first.id)
    document.put(Reveal(f"scenario/{first.id}"), "Reveal")
    QApplication.processEvents()
    shown = "\n".join(audience.texts_on_every_page())
    assert first.explanation[:60] in shown
    assert f"Answer: {term_name(document.session, first.answer)}" in shown


def test_console_shows_notes_timer_next_step_and_a_live_thumbnail(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    welcome = document.session.visible_steps[0]
    document.set_current_step(welcome.id)
    view = window.workshop.step_view
    assert view.notes.toPlainText() == welcome.notes
    assert document.session.visible_steps[1].title in view.next_label.text()
    assert not view.thumbnail_box.isVisibleTo(window)
    window.start_presenting()
    assert view.thumbnail_box.isVisibleTo(window)
    qtbot.waitUntil(lambda: view.thumbnail.pixmap() is not None and not view.thumbnail.pixmap().isNull())
    window.stop_presenting()
    assert not view.thumbnail_box.isVisibleTo(window)


def test_type_scales_and_high_contrast(window: MainWindow, sample_file: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    window.start_presenting()
    audience = window.presenter.window  # type: ignore[union-attr]
    assert audience is not None
    qtbot.keyClick(audience, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(audience, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert audience.scale == 1.2
    # The title is 56 px at 100% on a 1080-line screen, in proportion on others.
    assert f"#stepTitle {{ font-size: {round(56 * 1.2 * audience.fit_factor)}px" in audience.styleSheet()
    qtbot.keyClick(audience, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert audience.scale == 1.0
    # Never below the design size: what does not fit pages instead of shrinking.
    window.smaller_action.trigger()
    assert audience.scale == 1.0
    window.contrast_action.trigger()
    assert audience.high_contrast
    assert "#000000" in audience.styleSheet()


def test_timer_counts_down_and_signals_at_zero_without_a_dialog(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    welcome = document.session.visible_steps[0]
    document.set_current_step(welcome.id)
    timer = window.workshop.timer
    assert timer.seconds_left == welcome.minutes * 60
    timer.add_minute()
    assert timer.seconds_left == (welcome.minutes + 1) * 60
    timer._left_ms = 600  # a short countdown, so the test does not wait minutes
    with qtbot.waitSignal(timer.reached_zero, timeout=5000):
        timer.start()
    display = window.workshop.step_view.timer_widget.display
    qtbot.waitUntil(lambda: "Time is up" in display.text())
    assert display.property("state") == "over"
    assert "Time is up" in window.statusBar().currentMessage()
    assert QApplication.activeModalWidget() is None
    timer.pause()
    timer.reset()
    assert timer.seconds_left == welcome.minutes * 60
    assert not timer.running


SCREENS = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
        {
            "name": "projector",
            "x": 1366,
            "y": 0,
            "width": 1920,
            "height": 1080,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
    ]
}

TWO_SCREENS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QStandardPaths
    QStandardPaths.setTestModeEnabled(True)
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.shell.mainwindow import MainWindow
    app = make_application()
    assert [s.name() for s in app.screens()] == ["laptop", "projector"], app.screens()
    window = MainWindow()
    window.setGeometry(100, 100, 1200, 700)
    window.show()
    app.processEvents()
    assert window.open_session(Path(sys.argv[1]))
    window.start_presenting()
    app.processEvents()
    audience = window.presenter.window
    print("audience", audience.screen().name(), audience.geometry().width())
    print("console", window.screen().name())
    window.swap_screens()
    app.processEvents()
    print("swapped", audience.screen().name(), window.screen().name())
    window.close()
    """
)


def test_two_screens_put_the_room_on_the_projector(sample_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    script = tmp_path / "two_screens.py"
    script.write_text(TWO_SCREENS, encoding="utf-8")
    env = {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, str(script), str(sample_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["audience"] == "projector 1920"
    assert lines["console"] == "laptop"
    assert lines["swapped"] == "laptop projector"


def test_presenting_the_rooms_canvas_is_made_unseen_in_a_quiet_moment(  # type: ignore[no-untyped-def]
    window: MainWindow, sample_file: Path, qtbot, monkeypatch
) -> None:
    from coprod_desktop.ui.presenter import presenterwindow
    from coprod_desktop.ui.steps.canvas.widget import CanvasWidget

    monkeypatch.setattr(presenterwindow, "ROOM_AHEAD_QUIET_MS", 100)
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    document.set_current_step(document.session.visible_steps[0].id)
    window.start_presenting()
    assert window.presenter is not None
    room = window.presenter.window
    assert room is not None

    def room_canvases() -> list[CanvasWidget]:
        return [tool for tool in room.content.made_tools() if isinstance(tool, CanvasWidget)]

    qtbot.waitUntil(lambda: len(room_canvases()) == 1, timeout=3000)
    canvas = room_canvases()[0]
    assert canvas.audience
    assert not canvas.isVisible()  # made, not shown: the room is still on the welcome step
    assert document.session.current_step == document.session.visible_steps[0]
    step = next(s for s in document.session.visible_steps if s.kind is StepKind.CANVAS)
    window.workshop.go_to(step.id)
    qtbot.waitUntil(canvas.isVisible, timeout=3000)
    assert room.content.current_tool() is canvas  # the visit shows the one made ahead
    assert room_canvases() == [canvas]
    qtbot.waitUntil(lambda: canvas.view.board is not None, timeout=3000)  # laid out for the projector
    window.stop_presenting()


def _presenting_a_crowded_canvas(window: MainWindow, tmp_path: Path, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    """A session of 240 cards strewn over the canvas, presented from its first step, with the
    room's canvas made ahead and planned: (document, room's window, room's canvas, its step)."""
    import random

    from coprod_desktop.domain.model import Card, CardKind
    from coprod_desktop.storage.templates import load_builtin_template
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.presenter import presenterwindow
    from coprod_desktop.ui.steps.canvas.widget import CanvasWidget

    monkeypatch.setattr(presenterwindow, "ROOM_AHEAD_QUIET_MS", 100)
    session = load_builtin_template()
    rng = random.Random(4)
    for i in range(240):
        x, y = rng.uniform(0, 900), rng.uniform(0, 900)
        kind = CardKind.STAKEHOLDER if i % 2 else CardKind.DECISION
        session.put(Card(id=f"c{i:03d}", kind=kind, text=f"Card {i}", now_x=x, now_y=y, position=i))
    path = tmp_path / "crowded.coprod"
    SessionDocument.create(path, session).close()
    assert window.open_session(path)
    document = window.document
    assert document is not None
    document.set_current_step(document.session.visible_steps[0].id)
    window.start_presenting()
    assert window.presenter is not None
    room = window.presenter.window
    assert room is not None

    def planned() -> CanvasWidget | None:
        made = [tool for tool in room.content.made_tools() if isinstance(tool, CanvasWidget)]
        return made[0] if made and made[0].view._first_picture is not None else None

    qtbot.waitUntil(lambda: planned() is not None, timeout=5000)
    canvas = planned()
    step = next(s for s in document.session.visible_steps if s.kind is StepKind.CANVAS)
    return document, room, canvas, step


def test_the_rooms_canvas_is_laid_out_from_its_first_frame_as_planned_ahead(  # type: ignore[no-untyped-def]
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    """Presenting a crowded canvas: made ahead, its cards' sizes are tried and its hidden cards
    looked for; at the visit the room's first frame of the step already has its board, its size
    and its zoom (it once showed the last step's sizes and no board, then moved into place), and
    neither is worked out again."""
    from coprod_desktop.ui.steps.canvas import room as room_module
    from coprod_desktop.ui.steps.canvas.view import CanvasView

    document, room, canvas, step = _presenting_a_crowded_canvas(window, tmp_path, qtbot, monkeypatch)
    assert not canvas.isVisible()
    planned = canvas.scene_.cull_round
    assert planned > 0
    tried: list[float] = []
    fits = room_module._fits
    monkeypatch.setattr(
        room_module, "_fits", lambda cards, scale, sizes: tried.append(scale) or fits(cards, scale, sizes)
    )
    frames: list[tuple[bool, object, float, int]] = []
    paint = CanvasView.paintEvent

    def recorded(view: CanvasView, event: object) -> None:
        paint(view, event)  # type: ignore[arg-type]
        if view is canvas.view:
            frames.append(
                (
                    view.board is not None,
                    view.viewport().size(),
                    view.transform().m11(),
                    view.canvas.cull_round,
                )
            )

    monkeypatch.setattr(CanvasView, "paintEvent", recorded)
    assert window.workshop is not None
    window.workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(frames), timeout=3000)
    qtbot.wait(200)
    has_board, size, zoom, cull_round = frames[0]
    assert has_board
    assert size == canvas.view.viewport().size()
    assert zoom == canvas.view.transform().m11()
    assert cull_round == planned  # the look made ahead held at the room's zoom
    assert not tried  # and so did the sizes tried
    window.stop_presenting()


def test_the_rooms_canvas_shows_its_first_frame_painted_ahead_as_a_paint_would(  # type: ignore[no-untyped-def]
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    """Planned ahead, the room's canvas has its first frame painted into a picture, which its
    first paint at the visit shows; it is what a paint then paints, short of a level or two of
    a colour where edges are smoothed."""
    document, room, canvas, step = _presenting_a_crowded_canvas(window, tmp_path, qtbot, monkeypatch)
    ahead = canvas.view._first_picture[0].toImage()
    shown = first_frames(canvas.view, monkeypatch)
    assert window.workshop is not None
    window.workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert shown[0]  # the first frame was the picture
    assert canvas.view._first_picture is None  # once only
    painted = canvas.view.viewport().grab().toImage()
    assert painted.size() == ahead.size()
    differ, worst = differences(ahead, painted)
    assert worst <= 3
    assert differ < ahead.width() * ahead.height() / 9 / 100  # under one pixel in a hundred
    window.stop_presenting()


def test_a_change_before_the_visit_leaves_the_picture_painted_ahead_unshown(  # type: ignore[no-untyped-def]
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    """A card moved between the planning and the visit: the picture no longer shows what the
    canvas shows, so the first frame is painted afresh."""
    from dataclasses import replace

    document, room, canvas, step = _presenting_a_crowded_canvas(window, tmp_path, qtbot, monkeypatch)
    card = document.session.cards[0]
    assert document.put(replace(card, now_x=(card.now_x or 0) + 40), "Move a card")
    shown = first_frames(canvas.view, monkeypatch)
    assert window.workshop is not None
    window.workshop.go_to(step.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert not shown[0]
    assert canvas.view._first_picture is None
    window.stop_presenting()
