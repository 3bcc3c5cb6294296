"""What the projector shows to let the room in: a QR code, the short address, the room code."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

from ..domain.i18n import _
from .guard import CODE_LENGTH


@dataclass(frozen=True)
class JoinScreen:
    """The join screen's data, for the projector and the laptop alike."""

    url: str  # the full join address, in the QR code
    short_address: str  # typed by hand where a camera fails; that page asks for the code
    room_code: str  # as shown: in two halves, "ABC-DEF"
    joined: int

    @property
    def typed_address(self) -> str:
        return f"http://{self.short_address}"

    def qr_svg(self, dark: str = "#000000", light: str = "#ffffff") -> str:
        return qr_svg(self.url, dark=dark, light=light)


def show_code(code: str) -> str:
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code


def join_screen(url: str, short_address: str, room_code: str, joined: int = 0) -> JoinScreen:
    return JoinScreen(url=url, short_address=short_address, room_code=show_code(room_code), joined=joined)


def qr_svg(url: str, dark: str = "#000000", light: str = "#ffffff") -> str:
    """The join address as a QR code, in SVG, with the quiet zone scanners need around it."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=10,
        border=4,
        dark=dark,
        light=light,
        xmldecl=False,
        svgns=True,
        title=_("QR code of the join address"),
        nl=False,
    )
    return out.getvalue().decode("utf-8")
