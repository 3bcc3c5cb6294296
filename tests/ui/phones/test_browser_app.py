"""End to end: the real app's session, served to Debian's chromium at a phone's size.

The browser runs on a worker thread (Playwright's sync API keeps to the thread that started
it) while the GUI thread turns its event loop, as in the app; the session file is read after.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

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
