"""The phone page in a real browser (Debian's chromium through Playwright) at a phone's size.

Join, vote in each kind of question, follow the facilitator, reveal, reconnect after a lost
connection, send a note, fall back to polling; and axe-core finds no accessibility violation.
Set COPROD_SHOTS=1 to keep screenshots of each screen under shots/phone/ (or COPROD_SHOTS_DIR).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coprod_desktop.remote.fake import (
    WAITING,
    FakeRoom,
    matrix_screen,
    placement_screen,
    readiness_screen,
    scenario_screen,
)
from coprod_desktop.remote.server import PhoneServer

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SHOTS = Path(
    os.environ.get("COPROD_SHOTS_DIR", "") or Path(__file__).resolve().parents[2] / "shots" / "phone"
)
PEOPLE = [{"id": "p1", "name": "Amira Khan"}, {"id": "p2", "name": "Bryn O'Brien <b>"}]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason="Debian's chromium is not installed (python3 dev.py test installs it)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def room() -> Iterator[FakeRoom]:
    fake = FakeRoom(WAITING)
    yield fake
    fake.close()


@pytest.fixture
def server(room: FakeRoom) -> Iterator[PhoneServer]:
    phone_server = PhoneServer(room.feed, room.sink, "127.0.0.1", 0)
    phone_server.start()
    yield phone_server
    phone_server.stop()


@pytest.fixture
def page(browser, server: PhoneServer):  # type: ignore[no-untyped-def]
    context = browser.new_context(**PHONE)
    context.set_default_timeout(8000)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda exc: problems.append(str(exc)))
    opened.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    opened.goto(server.url)
    yield opened
    context.close()
    # A refused request shows in the console as a failed load; scripts must never throw.
    assert not [p for p in problems if "Failed to load resource" not in p], problems


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("COPROD_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        # What the phone's screen shows (the status bar stays at its foot), then the whole page.
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        page.screenshot(path=str(SHOTS / f"{name}-whole.png"), full_page=True)


def received(page) -> None:  # type: ignore[no-untyped-def]
    playwright_api.expect(page.locator("#status")).to_have_text(re.compile("✓ received"))


def wait_for(check, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the room did not get it in time"
        time.sleep(0.05)


def axe_clean(page) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_waiting_then_the_matrix_one_box_at_a_time(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    expect(page.locator("#screen-title")).to_have_text("Waiting for the facilitator")
    shot(page, "1-waiting")
    axe_clean(page)
    room.show(matrix_screen(criteria=2, stages=2))
    expect(page.locator("#matrix-progress")).to_have_text("Box 1 of 4 · 0 rated")
    shot(page, "2-matrix-before")
    page.get_by_role("button", name="3", exact=True).tap()
    received(page)
    expect(page.get_by_role("button", name="3", exact=True)).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Next →", exact=True).tap()
    expect(page.locator("#matrix-progress")).to_have_text("Box 2 of 4 · 1 rated")
    page.get_by_role("button", name="0", exact=True).tap()
    received(page)
    page.get_by_role("button", name="← Previous", exact=True).tap()
    expect(page.get_by_role("button", name="3", exact=True)).to_have_attribute("aria-pressed", "true")
    wait_for(lambda: len(room.recorded.votes) == 2)
    assert [(v.question, v.choice) for v in room.recorded.votes] == [("cell/c0/s0", "3"), ("cell/c0/s1", "0")]
    shot(page, "3-matrix-voted")
    room.reveal("cell/c0/s0", "The room's average: 2.5 (Partly), 8 votes.")
    expect(page.locator(".result")).to_have_text("The room's average: 2.5 (Partly), 8 votes.")
    expect(page.get_by_role("button", name="3", exact=True)).to_be_disabled()  # revealed: closed
    shot(page, "3b-matrix-revealed")
    axe_clean(page)


def _in_sight(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Where `selector` is on the phone's screen, and the part of the screen not under the footer."""
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            const footer = document.querySelector(".bottom").getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, free: footer.top, height: window.innerHeight,
                    scrolled: window.scrollY};
        }""",
        selector,
    )


def _a_real_box_screen() -> dict[str, object]:
    """A matrix box as the app sends it: a long criterion, its description, labelled choices."""
    labels = ["Not at all", "A little", "Partly", "Mostly", "Fully"]
    screen = matrix_screen(criteria=2, stages=3)
    for q in screen["questions"]:  # type: ignore[union-attr]
        q["title"] = "People who use services share decisions about how the work is done"
        q["subtitle"] = "Stage 2: Designing the service together"
        q["text"] = "Think about who chose the questions, who read the answers and who decided what changed."
    screen["text"] = "0 means not at all; 4 means fully."
    screen["choices"] = [{"value": str(i), "label": f"{i} · {label}"} for i, label in enumerate(labels)]
    return screen


def test_a_revealed_box_shows_its_result_without_scrolling(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    room.show(_a_real_box_screen())
    expect(page.locator("#matrix-progress")).to_have_text("Box 1 of 6 · 0 rated")
    page.get_by_role("button", name="4 · Fully", exact=True).tap()  # the last choice: scrolled down to it
    received(page)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0  # the phone was scrolled away from the box's name
    room.reveal("cell/c0/s0", "The room's average: 2.6 (Mostly), 14 votes.")
    expect(page.locator(".result")).to_have_text("The room's average: 2.6 (Mostly), 14 votes.")
    where = _in_sight(page, ".result")
    assert where["top"] >= 0, where  # in sight,
    assert where["bottom"] <= where["free"], where  # above the footer
    heading = _in_sight(page, "#q0")
    assert heading["top"] >= 0, heading  # with the box's name above it
    shot(page, "3c-matrix-revealed-in-sight")

    # The next box, opened from the top of the page and revealed there: in sight with no scroll.
    page.get_by_role("button", name="Next →", exact=True).tap()
    page.evaluate("window.scrollTo(0, 0)")
    room.reveal("cell/c0/s1", "The room's average: 1.2 (A little), 13 votes.")
    expect(page.locator(".result")).to_have_text("The room's average: 1.2 (A little), 13 votes.")
    where = _in_sight(page, ".result")
    assert where["scrolled"] == 0, where
    assert where["top"] >= 0, where
    assert where["bottom"] <= where["free"], where
    # Its choices are closed and the phone's own answer (none here) stays as it was.
    expect(page.get_by_role("button", name="2 · Partly", exact=True)).to_be_disabled()
    shot(page, "3d-matrix-next-revealed")
    axe_clean(page)


def test_a_scenario_a_reveal_and_the_placement(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    room.show(scenario_screen())
    expect(page.locator("#screen-title")).to_have_text("Which is it?")
    expect(page.locator(".result")).to_have_count(0)  # nothing shown before the facilitator reveals it
    shot(page, "4-scenario-before")
    page.get_by_role("button", name="Co-design", exact=True).tap()
    received(page)
    room.reveal("scenario/library", "The room chose: consultation (5 of 8). The answer: consultation.")
    expect(page.locator(".result")).to_have_text(re.compile("The answer: consultation"))
    shot(page, "5-scenario-revealed")
    axe_clean(page)
    room.show(placement_screen())
    expect(page.locator("#screen-title")).to_have_text("Where do we stand?")
    page.get_by_role("button", name="Disagree", exact=True).tap()
    received(page)
    shot(page, "6-placement")
    wait_for(lambda: len(room.recorded.votes) == 2)
    assert [v.choice for v in room.recorded.votes] == ["co-design", "disagree"]
    room.reveal("placement/co-design", "Agree: 6. Disagree: 2.")
    expect(page.locator(".result")).to_have_text("Agree: 6. Disagree: 2.")
    expect(page.get_by_role("button", name="Disagree", exact=True)).to_be_disabled()
    shot(page, "6b-placement-revealed")


def test_an_anonymous_phone_says_its_group_once(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    room.sides = [
        {"value": "lived", "label": "I use services, or care for someone who does"},
        {"value": "staff", "label": "I am staff: I work in or for services"},
        {"value": "other", "label": "I prefer not to say"},
    ]
    room.show(scenario_screen(), mode="anonymous")
    expect(page.locator("#screen-title")).to_have_text("Which group are you in?")
    expect(page.locator("#note-box")).to_be_hidden()
    shot(page, "10-group")
    axe_clean(page)
    page.get_by_role("button", name="I am staff: I work in or for services", exact=True).tap()
    expect(page.locator("#screen-title")).to_have_text("Which is it?")
    expect(page.locator("#who")).to_have_text(
        "Anonymous: only the counts are kept, by group (I am staff: I work in or for services)."
    )
    page.reload()  # said once: the laptop remembers it for this phone
    expect(page.locator("#screen-title")).to_have_text("Which is it?")
    assert [j.side for j in room.recorded.joins if j.side] == ["staff"]


def test_readiness_each_condition_and_a_refused_vote(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    room.show(readiness_screen())
    expect(page.locator("#screen-title")).to_have_text("Are we ready?")
    groups = page.get_by_role("group")
    expect(groups).to_have_count(4)
    for index in range(4):
        groups.nth(index).get_by_role("button", name="Partly", exact=True).tap()
        received(page)
    shot(page, "7-readiness")
    room.reveal("readiness/r0", "The room's average: 1.2 (Partly), 9 votes.")
    expect(page.locator(".result")).to_have_count(1)
    shot(page, "7b-readiness-revealed")
    axe_clean(page)
    wait_for(lambda: len(room.recorded.votes) == 4)
    assert {v.question for v in room.recorded.votes} == {f"readiness/r{n}" for n in range(4)}
    room.refuse_with = "Voting on this question has closed."
    groups.nth(1).get_by_role("button", name="In place", exact=True).tap()
    expect(page.locator("#status")).to_have_text("Voting on this question has closed.")
    assert len(room.recorded.votes) == 4


def test_named_voting_picks_a_person_once(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    room.people = PEOPLE
    room.show(scenario_screen(), mode="named")
    expect(page.locator("#screen-title")).to_have_text("Who are you?")
    # A name is text, never markup.
    expect(page.get_by_role("button", name="Bryn O'Brien <b>", exact=True)).to_be_visible()
    shot(page, "8-named-join")
    axe_clean(page)
    page.get_by_role("button", name="Amira Khan", exact=True).tap()
    expect(page.locator("#screen-title")).to_have_text("Which is it?")
    expect(page.locator("#who")).to_have_text("Voting as Amira Khan")
    page.get_by_role("button", name="Co-production", exact=True).tap()
    received(page)
    wait_for(lambda: len(room.recorded.votes) == 1)
    assert room.recorded.votes[0].voter == "p1"
    # A second tab of the same phone is the same voter, already named.
    second = page.context.new_page()
    second.goto(page.url)
    expect(second.locator("#who")).to_have_text("Voting as Amira Khan")
    expect(second.get_by_role("button", name="Co-production", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert len({j.device for j in room.recorded.joins}) == 1


def test_a_phone_that_lost_the_network_comes_back_to_the_current_question(  # type: ignore[no-untyped-def]
    page, room: FakeRoom
) -> None:
    expect = playwright_api.expect
    room.show(matrix_screen(criteria=1, stages=2))
    page.get_by_role("button", name="2", exact=True).tap()
    received(page)
    page.context.set_offline(True)
    room.show(scenario_screen())  # the facilitator moves on while the phone is away
    page.wait_for_timeout(500)
    page.context.set_offline(False)
    expect(page.locator("#screen-title")).to_have_text("Which is it?", timeout=10000)
    room.show(matrix_screen(criteria=1, stages=2))
    expect(page.locator("#matrix-progress")).to_have_text("Box 2 of 2 · 1 rated")  # its own answer kept
    page.reload()
    expect(page.locator("#matrix-progress")).to_have_text("Box 2 of 2 · 1 rated")
    page.get_by_role("button", name="← Previous", exact=True).tap()
    expect(page.get_by_role("button", name="2", exact=True)).to_have_attribute("aria-pressed", "true")
    assert len(room.recorded.votes) == 1


def test_a_note_reaches_the_laptop(page, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    page.get_by_label(re.compile("A note for the facilitator")).fill("Can we have a break <soon>?")
    page.get_by_role("button", name="Send the note", exact=True).tap()
    expect(page.locator("#status")).to_have_text(re.compile("✓ received: your note"))
    shot(page, "9-note")
    wait_for(lambda: len(room.recorded.notes) == 1)
    assert room.recorded.notes[0].text == "Can we have a break <soon>?"


def test_without_event_streams_the_page_polls(browser, server: PhoneServer, room: FakeRoom) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(**PHONE)
    context.add_init_script("delete window.EventSource;")
    page = context.new_page()
    page.goto(server.url)
    expect = playwright_api.expect
    expect(page.locator("#screen-title")).to_have_text("Waiting for the facilitator")
    room.show(placement_screen())
    expect(page.locator("#screen-title")).to_have_text("Where do we stand?", timeout=6000)
    page.get_by_role("button", name="Agree", exact=True).tap()
    received(page)
    context.close()
    assert [v.choice for v in room.recorded.votes] == ["agree"]


def test_the_room_code_page_leads_to_the_voting_page(browser, server: PhoneServer) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"http://{server.authority}/")
    axe_clean(page)
    shot(page, "0-room-code")
    page.get_by_label("Room code").fill("nope99")
    page.get_by_role("button", name="Join", exact=True).tap()
    playwright_api.expect(page.get_by_role("alert")).to_have_text(re.compile("not this room's code"))
    page.get_by_label("Room code").fill(server.room_code[:3].lower() + "-" + server.room_code[3:])
    page.get_by_role("button", name="Join", exact=True).tap()
    playwright_api.expect(page.locator("#screen-title")).to_have_text("Waiting for the facilitator")
    assert page.url == server.url
    context.close()
