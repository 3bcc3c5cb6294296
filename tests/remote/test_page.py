"""The phone page's words and languages: translated on the laptop, `lang` and `dir` set right."""

from __future__ import annotations

import json
import re
from importlib import resources

from coprod_desktop.domain.i18n import available, using
from coprod_desktop.remote.page import LANGUAGE_COOKIE, direction, render_page, script_strings

from .conftest import Phone


def _strings(page: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="strings">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_right_to_left_languages_set_dir_and_every_other_is_left_to_right() -> None:
    assert [direction(tag) for tag in ("ar", "ur", "ar-EG", "cy", "en-GB", "")] == [
        "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"
    ]
    page = render_page("ar", ["en", "cy", "ar"])
    assert '<html lang="ar" dir="rtl">' in page
    # Each language in the switch is named in its own words, marked with its own lang and dir.
    assert '<a lang="ar" dir="rtl" aria-current="true" href="?lang=ar">العربية</a>' in page
    assert '<a lang="cy" dir="ltr" hreflang="cy" href="?lang=cy">Cymraeg</a>' in page


def test_the_script_gets_every_word_it_shows_from_the_page() -> None:
    page = render_page("cy", available())
    strings = _strings(page)
    assert set(strings) == set(script_strings())
    assert strings["whoTitle"] == "Pwy ydych chi?"
    assert '<html lang="cy" dir="ltr">' in page
    with using("cy"):
        assert script_strings()["boxOf"].format(n=1, total=2, done=0) == "Blwch 1 o 2 · sgoriwyd 0"
    # The script has no English sentence of its own left to show.
    script = resources.files("coprod_desktop.resources").joinpath("phone", "app.js").read_text("utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S)
    words = [s for s in re.findall(r'"([^"\\]*)"', code) if re.search(r"[A-Z][a-z]+ [a-z]+", s)]
    assert words == []


def test_a_phone_picks_a_language_and_only_the_apps_own_are_taken(phone: Phone) -> None:
    token = phone.server.token
    status, headers, body = phone.request("GET", f"/{token}/?lang=cy")
    assert status == 200
    assert f"{LANGUAGE_COOKIE}=cy" in headers.get("set-cookie", "")
    assert '<html lang="cy"' in body.decode()
    for wrong in ("xx", "cy%22%3E%3Cscript%3E", "../en"):
        status, headers, body = phone.request("GET", f"/{token}/?lang={wrong}")
        assert status == 200
        assert LANGUAGE_COOKIE not in headers.get("set-cookie", "")
        assert '<html lang="en"' in body.decode()


def test_the_servers_refusals_follow_the_phones_language(phone: Phone) -> None:
    status, answer = phone.post("vote", {"question": "cell/c0/s0", "choice": "9", "id": "abcdefgh01"},
                                headers={"Cookie": f"coprod_phone={phone.cookie}; {LANGUAGE_COOKIE}=cy"})
    assert status == 400
    assert answer["error"] == "Nid yw'r ateb hwnnw'n un o ddewisiadau'r cwestiwn hwn."
    status, answer = phone.post("vote", {"question": "cell/c0/s0", "choice": "9", "id": "abcdefgh02"})
    assert answer["error"] == "That answer is not one of this question's choices."
