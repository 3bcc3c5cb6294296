"""How the room's view looks: one type scale, minimum sizes and the two themes' colours.

Every size is given in pixels for a 1080-line projector at 100% and follows the
projector's height, then the facilitator's type scale (Ctrl+plus only ever makes
text bigger: what no longer fits goes on another page, never smaller type).
Every colour pair the room reads is listed here, so a test can compute its
contrast (WCAG 2 relative luminance) instead of trusting a designer's eye.

Nothing here imports a widget: step packages read their colours and sizes from it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# The room reads from the back: these are the floors the issue asks for, per 1080 lines.
MIN_LINE_PX = 28  # every text's line height, at 1080 lines (20 px at 720 and so on)
MIN_TITLE_LINE_PX = 48  # a step's title
MIN_CONTRAST = 4.5
DESIGN_HEIGHT = 1080

# Pixel size of each text role at 1080 lines and 100%. DejaVu Sans's line is about
# 1.17 em, so 25 px type makes a 29 px line: nothing is drawn smaller than "small".
TYPE_SCALE: dict[str, float] = {
    "title": 56,  # the step's title
    "toolTitle": 40,  # a scenario's title, a section heading
    "body": 30,  # running text
    "lead": 30,
    "status": 30,
    "cell": 28,  # table cells, card text, the matrix's labels
    "small": 25,  # hints, keys, "page 2 of 3", captions
}


def factor(height: int, scale: float = 1.0) -> float:
    """How much bigger than the design the room's type is on a screen `height` lines tall."""
    return max(height, 1) / DESIGN_HEIGHT * scale


def px(role: str, height: int, scale: float = 1.0) -> int:
    """The pixel size of text role `role` on a screen `height` lines tall at type scale `scale`."""
    return max(9, round(TYPE_SCALE[role] * factor(height, scale)))


def px_at(role: str, type_factor: float) -> int:
    """The pixel size of `role` for a combined factor (screen height / 1080 times the scale)."""
    return max(9, round(TYPE_SCALE[role] * type_factor))


@dataclass(frozen=True)
class RoomTheme:
    """The colours of one theme. Text colours are named *_ink; what they sit on, the rest."""

    name: str
    ground: str  # the page
    ink: str  # running text
    accent_ink: str  # titles, headings
    muted_ink: str  # hints, captions: still 4.5:1 or better
    panel: str  # a box behind text (a rung, a card, a legend chip)
    panel_ink: str
    rail: str  # lines and outlines (not text)
    bar: str  # a bar in a chart (not text)
    track: str  # behind a bar
    highlight: str  # the marked bar (also marked by a word and a pattern)
    hidden: str  # a box not yet revealed (also marked by a hatch and a word)
    hidden_ink: str
    shades: tuple[str, ...] = ()  # the ladder's rungs, bottom to top (also numbered and named)
    shades_ink: str = ""

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (text colour, background) pair this theme draws, by name."""
        pairs = {
            "ink on ground": (self.ink, self.ground),
            "accent on ground": (self.accent_ink, self.ground),
            "muted on ground": (self.muted_ink, self.ground),
            "panel ink on panel": (self.panel_ink, self.panel),
            "hidden ink on hidden": (self.hidden_ink, self.hidden),
            "ink on track": (self.ink, self.track),
        }
        for index, shade in enumerate(self.shades):
            pairs[f"rung {index + 1}"] = (self.shades_ink, shade)
        return pairs


LIGHT = RoomTheme(
    name="light",
    ground="#ffffff",
    ink="#111111",
    accent_ink="#1d3557",
    muted_ink="#404040",
    panel="#f1f3f6",
    panel_ink="#111111",
    rail="#1d3557",
    bar="#1d3557",
    track="#e3e6ea",
    highlight="#e07a00",
    hidden="#e9e6df",
    hidden_ink="#111111",
    shades=("#f1f1ef", "#e6ebf2", "#d9e2ee", "#c8d6e8", "#b3c7e0", "#9bb5d6", "#7f9fc8"),
    shades_ink="#111111",
)

HIGH_CONTRAST = RoomTheme(
    name="high contrast",
    ground="#000000",
    ink="#ffffff",
    accent_ink="#ffd400",
    muted_ink="#e6e6e6",
    panel="#000000",
    panel_ink="#ffffff",
    rail="#ffffff",
    bar="#ffffff",
    track="#3a3a3a",
    highlight="#ffd400",
    hidden="#262626",
    hidden_ink="#ffffff",
    # Dark rungs with white type: the steps are told apart by number and name, the shade only helps.
    shades=("#000000", "#0d0d0d", "#1a1a1a", "#262626", "#333333", "#404040", "#4d4d4d"),
    shades_ink="#ffffff",
)


def theme(high_contrast: bool) -> RoomTheme:
    return HIGH_CONTRAST if high_contrast else LIGHT


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str | tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of '#rrggbb' or an (r, g, b) triple."""
    if isinstance(colour, str):
        text = colour.lstrip("#")
        rgb = (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    else:
        rgb = colour
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio between two colours (1.0 to 21.0)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def weakest_pair(room: RoomTheme) -> tuple[str, float]:
    """The theme's text pair with the lowest contrast, and that contrast."""
    ratios = {name: contrast(ink, back) for name, (ink, back) in room.text_pairs().items()}
    name = min(ratios, key=ratios.__getitem__)
    return name, ratios[name]


def room_style_sheet(type_factor: float, room: RoomTheme) -> str:
    """The audience window's style sheet: every text role's size and colour."""

    def size(role: str) -> str:
        return f"{px_at(role, type_factor)}px"

    t = room
    # Set on the audience window only, so plain selectors reach only the room's widgets; they are
    # also much quicker to match than "#audienceContent QLabel" on every widget shown.
    return f"""
    QWidget {{ background: {t.ground}; color: {t.ink}; }}
    QLabel {{ font-size: {size("body")}; }}
    #stepTitle {{ font-size: {size("title")}; font-weight: 700; color: {t.accent_ink}; }}
    #stepBody, #roomText {{ font-size: {size("body")}; color: {t.ink}; }}
    #roomHeading {{ font-size: {size("toolTitle")}; font-weight: 700;
        color: {t.accent_ink}; }}
    #hint, #pageNumber {{ font-size: {size("small")};
        color: {t.muted_ink}; }}
    #stepLead {{ font-size: {size("lead")}; }}
    #secondTitle {{ font-size: {size("lead")}; font-style: italic; color: {t.accent_ink}; }}
    #secondLead, #roomSecond {{ font-size: {size("body")}; font-style: italic; color: {t.ink};
        border-left: 6px solid {t.rail}; padding-left: 12px; }}
    #toolTitle, #sectionHeading {{ font-size: {size("toolTitle")};
        font-weight: 700; color: {t.accent_ink}; }}
    #toolText {{ font-size: {size("body")}; }}
    #voteStatus {{ font-size: {size("status")}; font-weight: 700; }}
    #answerText, #roomAnswer {{ font-size: {size("body")};
        border-left: 8px solid {t.accent_ink}; padding-left: 12px; }}
    #rulesText {{ font-size: {size("body")}; }}
    #tableHeader {{ font-size: {size("cell")}; font-weight: 700; color: {t.accent_ink}; }}
    #conditionName, #conditionValue {{ font-size: {size("cell")}; }}
    QTableView {{ font-size: {size("cell")}; gridline-color: {t.ink}; }}
    QHeaderView::section {{ font-size: {size("cell")}; font-weight: 700;
        background: {t.ground}; color: {t.accent_ink}; border: none; border-bottom: 2px solid {t.rail}; }}
    #canvasCaption {{ font-size: {size("cell")}; font-weight: 600;
        color: {t.accent_ink}; }}
    #roomKey {{ font-size: {size("cell")}; color: {t.ink}; }}
    #summaryText {{ font-size: {size("body")}; border: none; }}
    #audienceFooter {{ background: {t.ground}; }}
    #pageNumber {{ font-size: {size("small")}; color: {t.muted_ink}; }}
    #blackout {{ background: #000000; }}
    """


def timer_style_sheet(type_factor: float, room: RoomTheme) -> str:
    """The room's timer. Set on the timer itself: the app gives that label a sheet of its own,
    which an ancestor's rules could not override."""
    size = f"{px_at('status', type_factor)}px"
    t = room
    return f"""
    #timerDisplay {{ font-size: {size}; font-weight: 700; color: {t.ink}; background: {t.ground};
        border: 2px solid {t.ink}; border-radius: 8px; padding: 4px 14px; }}
    #timerDisplay[state="none"] {{ border: none; color: {t.ground}; }}
    #timerDisplay[state="over"] {{ border: 4px solid {t.accent_ink}; color: {t.ink};
        background: {t.ground}; }}
    """


def theme_fields() -> list[str]:
    return [f.name for f in fields(RoomTheme)]
