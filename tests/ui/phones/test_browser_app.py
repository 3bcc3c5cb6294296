"""End to end: the real app's session, served to Debian's chromium at a phone's size.

The browser runs on a worker thread (Playwright's sync API keeps to the thread that started
it) while the GUI thread turns its event loop, as in the app; the session file is read after.
"""

from __future__ import annotations

import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import BallotCast, Participant, Progress, Reveal, StepKind, Vote, VotingMode
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed")


def _session_file(tmp_path: Path, mode: VotingMode) -> Path:
    session = build_sample(load_builtin_template())
    session.matrix = replace(session.matrix, mode=mode)
    step = next(s for s in session.steps if s.kind is StepKind.MATRIX)
    session.put(Progress(current_step_id=step.id))
    for reveal in list(session.reveals):
        session.remove(Reveal, (reveal.question,))
    session.put(Participant(id="phone-p", name="Pat Phone", position=99))
    path = tmp_path / f"{mode}.coprod"
    SessionFile.create(path, session).close()
    return path


def _phone(url: str, person: str) -> list[str]:
    """A phone joins as `person`, rates the first box 3, reloads and sees its own answer."""
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page.set_default_timeout(10000)
            page.goto(url)
            page.get_by_role("button", name=person, exact=True).tap()
            expect(page.locator("#matrix-progress")).to_have_text(re.compile(r"^Box 1 of \d+"))
            page.get_by_role("button", name=re.compile(r"^3 · ")).tap()
            expect(page.locator("#status")).to_have_text(re.compile("✓ received"))
            page.reload()  # back on the page: the next box to rate, its own answer kept
            expect(page.locator("#matrix-progress")).to_have_text(re.compile(r"^Box 2 of \d+ · 1 rated"))
            page.get_by_role("button", name="← Previous", exact=True).tap()
            expect(page.get_by_role("button", name=re.compile(r"^3 · "))).to_have_attribute(
                "aria-pressed", "true"
            )
            return [page.locator("#who").inner_text()]
        finally:
            browser.close()


@pytest.mark.parametrize("mode", [VotingMode.NAMED, VotingMode.SECRET])
@pytest.mark.timeout(90)
def test_a_phone_in_the_browser_votes_into_the_session_file(
    window, qtbot, tmp_path: Path, mode: VotingMode
) -> None:  # type: ignore[no-untyped-def]
    path = _session_file(tmp_path, mode)
    assert window.open_session(path)
    url = window.phones.turn_on("127.0.0.1", 0)
    with ThreadPoolExecutor(1) as pool:
        phone = pool.submit(_phone, url, "Pat Phone")
        qtbot.waitUntil(phone.done, timeout=60000)
    shown = phone.result()
    session = window.document.session
    question = f"cell/{session.criteria[0].id}/{session.stages[0].id}"
    window.close_session()
    with SessionFile.open(path, read_only=True) as on_disk:
        saved = on_disk.load()
    if mode is VotingMode.NAMED:
        assert shown == ["Voting as Pat Phone"]
        assert saved.get(Vote, (question, "phone-p")).choice == "3"  # type: ignore[union-attr]
    else:
        assert shown == ["Secret ballot for Pat Phone: your name is never kept with your answers."]
        assert saved.get(Vote, (question, "phone-p")) is None
        assert saved.get(BallotCast, (question, "phone-p")) is not None


SHOTS = Path("/tmp/shots-phones")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _phone_reset(url: str, ready: threading.Event, reset: threading.Event) -> list[str]:
    """A phone votes as Pat; once the facilitator resets it, it is asked who it is again."""
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page.set_default_timeout(10000)
            page.goto(url + "?lang=en")
            page.get_by_role("button", name="Pat Phone", exact=True).tap()
            page.get_by_role("button", name=re.compile(r"^3 · ")).tap()
            expect(page.locator("#status")).to_have_text(re.compile("✓ received"))
            ready.set()
            assert reset.wait(30)
            expect(page.locator("#screen-title")).to_have_text("Who are you?")
            expect(page.locator("#status")).to_have_text("The facilitator has let this phone choose again.")
            _shot(page, "reset-asked-again")
            page.get_by_role("button", name="Pat Phone", exact=True).tap()
            expect(page.locator("#who")).to_have_text("Voting as Pat Phone")
            if page.locator("#previous").is_enabled():
                page.get_by_role("button", name="← Previous", exact=True).tap()
            expect(page.locator("#matrix-progress")).to_have_text(re.compile(r"^Box 1 of \d+ · 1 rated"))
            # The person's own answer, from the file: the reset took nothing away.
            expect(page.get_by_role("button", name=re.compile(r"^3 · "))).to_have_attribute("aria-pressed", "true")
            return [page.locator("#who").inner_text()]
        finally:
            browser.close()


@pytest.mark.timeout(90)
def test_the_facilitator_resets_one_phone_by_keyboard_and_it_picks_again(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    path = _session_file(tmp_path, VotingMode.NAMED)
    assert window.open_session(path)
    url = window.phones.turn_on("127.0.0.1", 0)
    ready, reset = threading.Event(), threading.Event()
    with ThreadPoolExecutor(1) as pool:
        phone = pool.submit(_phone_reset, url, ready, reset)
        qtbot.waitUntil(lambda: ready.is_set() or phone.done(), timeout=40000)
        assert not phone.done(), phone.exception()
        session = window.document.session
        question = f"cell/{session.criteria[0].id}/{session.stages[0].id}"
        with SessionFile.open(path, read_only=True) as on_disk:
            before = on_disk.load()
        panel = window.phones.panel
        window.phones.show_panel()
        # Listed by the name it chose; reached and reset from the keyboard alone.
        assert [panel.phones.item(i).text() for i in range(panel.phones.count())] == ["Pat Phone"]
        panel.phones.setFocus()
        qtbot.keyClick(panel.phones, Qt.Key.Key_Home)
        assert panel.phones.currentRow() == 0
        assert panel.reset_phone.isEnabled()
        assert panel.reset_phone.focusPolicy() & Qt.FocusPolicy.TabFocus
        after = panel.phones.nextInFocusChain()  # Tab from the list: the next widget that takes Tab
        while not (after.focusPolicy() & Qt.FocusPolicy.TabFocus and after.isEnabled()):
            after = after.nextInFocusChain()
        assert after is panel.reset_phone
        qtbot.keyClick(panel.phones, Qt.Key.Key_Delete)
        assert panel.phones.count() == 0
        reset.set()
        qtbot.waitUntil(phone.done, timeout=40000)
    assert phone.result() == ["Voting as Pat Phone"]
    window.close_session()
    with SessionFile.open(path, read_only=True) as on_disk:
        after = on_disk.load()
    assert after.get(Vote, (question, "phone-p")).choice == "3"  # type: ignore[union-attr]
    assert after.votes == before.votes  # a reset writes nothing to the file


def _english_in(text: str) -> list[str]:
    """The catalogue's English sentences (or their longer fixed parts) found in `text`."""
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[3] / "resources" / "locale" / "cy" / "LC_MESSAGES" / "phone.po"
    with po.open("rb") as stream:
        catalogue = read_po(stream, locale="cy")
    found = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if not english or english in strings:
                continue
            for part in re.split(r"\{[a-z_]+\}", english):
                part = part.strip(" ·:().,←→✓")
                if len(part) >= 8 and part in text:
                    found.append(part)
    return found


def _welsh_phone(url: str) -> dict[str, object]:
    from axe_playwright_python.sync_playwright import Axe

    expect = playwright_api.expect
    seen: dict[str, object] = {"texts": [], "violations": []}
    texts: list[str] = seen["texts"]  # type: ignore[assignment]
    violations: list[int] = seen["violations"]  # type: ignore[assignment]
    with playwright_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page.set_default_timeout(10000)
            page.goto(url)  # no choice made: the workshop's language
            expect(page.locator("#screen-title")).to_have_text("Ym mha grŵp ydych chi?")
            seen["lang"] = page.locator("html").get_attribute("lang")
            seen["dir"] = page.locator("html").get_attribute("dir")
            texts.append(page.locator("body").inner_text())
            violations.append(Axe().run(page).violations_count)
            _shot(page, "cy-1-group")
            page.get_by_role("button", name="Byddai'n well gen i beidio â dweud", exact=True).tap()
            expect(page.locator("#matrix-progress")).to_have_text(re.compile(r"^Blwch 1 o \d+ · sgoriwyd 0"))
            page.get_by_role("button", name=re.compile(r"^3 · ")).tap()
            expect(page.locator("#status")).to_have_text(re.compile("✓ wedi'i derbyn"))
            texts.append(page.locator("body").inner_text())
            violations.append(Axe().run(page).violations_count)
            _shot(page, "cy-2-matrix")
            page.locator("#note-text").fill("Nodyn bach")
            page.get_by_role("button", name="Anfon y nodyn", exact=True).tap()
            expect(page.locator("#status")).to_have_text(re.compile("✓ wedi'i dderbyn"))
            texts.append(page.locator("body").inner_text())
            _shot(page, "cy-3-note")
            # The switch: English on this phone only, and back.
            page.get_by_role("link", name="English", exact=True).tap()
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("#note-send")).to_have_text("Send the note")
            expect(page.locator("#screen-title")).to_have_text("Rate each box")
            page.get_by_role("link", name="Cymraeg", exact=True).tap()
            expect(page.locator("html")).to_have_attribute("lang", "cy")
            expect(page.locator("#screen-title")).to_have_text("Sgoriwch bob blwch")
            return seen
        finally:
            browser.close()


@pytest.mark.timeout(120)
def test_a_welsh_workshop_gives_its_phones_the_page_in_welsh(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _session_file(tmp_path, VotingMode.ANONYMOUS)
    with SessionFile.open(path) as file:
        session = file.load()
        file.write([Change(session.info, replace(session.info, language="cy"))])
    assert window.open_session(path)
    url = window.phones.turn_on("127.0.0.1", 0)
    with ThreadPoolExecutor(1) as pool:
        phone = pool.submit(_welsh_phone, url)
        qtbot.waitUntil(phone.done, timeout=100000)
    seen = phone.result()
    assert (seen["lang"], seen["dir"]) == ("cy", "ltr")
    for text in seen["texts"]:  # type: ignore[attr-defined]
        assert _english_in(text) == [], text
    assert seen["violations"] == [0, 0]
