"""The content of the report, section by section, as Platypus flowables.

Every piece of text a facilitator typed goes through `ReportContext.text`,
which replaces participants' names when the report is anonymous and escapes
the rest, so it prints exactly as typed. Our own words are written here as
markup directly.

Tables may split inside a row (`splitInRow`), so a very long cell continues on
the next page instead of stopping the build; long words are broken by
reportlab's `splitLongWords`, so nothing runs off the page.
"""

from __future__ import annotations

import importlib
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from ..domain import readiness as readiness_rules
from ..domain.ladder import LADDER, RUNG_BY_KEY
from ..domain.model import (
    Card,
    Participant,
    RoleGroup,
    Session,
    Step,
    StepKind,
    Term,
    Vote,
)
from ..domain.scenarios import ScenarioResult, scenario_result, term_name
from ..domain.text import blocks
from ..domain.voting import (
    RatingSummary,
    cell_question,
    is_revealed,
    ratings,
    readiness_question,
    role_split,
    scenario_question,
    summarise,
    tally,
)
from . import styles
from .canvas_drawing import canvas_drawing
from .canvas_look import canvas_look
from .fonts import BOLD, FAMILY, REGULAR
from .markup import NameRedactor, clean, esc, esc_lines, format_date, plural

__all__ = ["Heading", "ReportContext", "Sheet", "build_story"]

INK = colors.HexColor(styles.INK)
MUTED = colors.HexColor(styles.MUTED_INK)
RULE = colors.HexColor(styles.RULE)
TINT = colors.HexColor(styles.PAPER_TINT)

DISAGREEMENT = "▲ Split views"
NOT_REVEALED = "Not revealed in the room"
SPLIT_GAP_SHARE = 0.25  # a gap of a quarter of the scale is called out, as on screen


# --- typography -----------------------------------------------------------------------


class Sheet:
    """The paragraph styles of one print size."""

    def __init__(self, *, large_print: bool) -> None:
        self.large_print = large_print
        base = 16.0 if large_print else 10.0
        self.base = base
        self.cell_size = 14.0 if large_print else 8.6
        self.small_size = 13.0 if large_print else 8.0
        lead = 1.35

        def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
            settings: dict[str, Any] = {
                "fontName": REGULAR,
                "bulletFontName": REGULAR,  # the default, Helvetica, is not embedded
                "bulletFontSize": size,
                "fontSize": size,
                "leading": round(size * lead, 1),
                "textColor": INK,
                "splitLongWords": 1,
                "allowWidows": 0,
                "allowOrphans": 0,
            }
            settings.update(extra)
            return ParagraphStyle(name, **settings)

        self.title = style("title", base * 2.3, fontName=BOLD, leading=base * 2.75, spaceAfter=base * 0.6)
        self.subtitle = style("subtitle", base * 1.25, textColor=MUTED, spaceAfter=base * 1.4)
        self.h1 = style(
            "h1",
            base * 1.7,
            fontName=BOLD,
            leading=base * 2.1,
            spaceBefore=base * 0.4,
            spaceAfter=base * 0.6,
            keepWithNext=1,
        )
        self.h2 = style(
            "h2", base * 1.25, fontName=BOLD, spaceBefore=base * 0.9, spaceAfter=base * 0.35, keepWithNext=1
        )
        self.h2_loose = style(
            "h2_loose", base * 1.25, fontName=BOLD, spaceBefore=base * 0.9, spaceAfter=base * 0.35
        )
        self.h3 = style(
            "h3", base * 1.05, fontName=BOLD, spaceBefore=base * 0.6, spaceAfter=base * 0.2, keepWithNext=1
        )
        self.body = style("body", base, spaceAfter=base * 0.55)
        self.lead_in = style("lead_in", base, spaceAfter=base * 0.55, textColor=MUTED)
        self.bullet = style(
            "bullet", base, leftIndent=base * 1.3, bulletIndent=base * 0.3, spaceAfter=base * 0.25
        )
        self.small = style("small", self.small_size, textColor=MUTED, spaceAfter=base * 0.4)
        self.story = style(
            "story", base, fontName=f"{FAMILY}-Italic", leftIndent=base * 0.8, spaceAfter=base * 0.5
        )
        self.callout = style(
            "callout",
            base * 1.1,
            fontName=BOLD,
            borderColor=INK,
            borderWidth=1.2,
            borderPadding=(base * 0.6, base * 0.7, base * 0.6, base * 0.7),
            spaceBefore=base * 0.7,
            spaceAfter=base * 1.1,
            leftIndent=base * 0.7,
            rightIndent=base * 0.7,
        )
        self.cell = style("cell", self.cell_size)
        self.cell_bold = style("cell_bold", self.cell_size, fontName=BOLD)
        self.cell_head = style("cell_head", self.cell_size, fontName=BOLD)
        self.cell_centre = style("cell_centre", self.cell_size, alignment=TA_CENTER)
        self.cell_right = style("cell_right", self.cell_size, alignment=TA_RIGHT)
        self.cell_small = style("cell_small", self.small_size, textColor=MUTED)
        self.heat = style("heat", self.cell_size, alignment=TA_CENTER, leading=self.cell_size * 1.25)
        self.left = TA_LEFT
        self.padding = 5.0 if large_print else 3.5


class Heading(Paragraph):  # type: ignore[misc]
    """A heading that also makes a bookmark in the PDF's outline."""

    def __init__(
        self, markup: str, style: ParagraphStyle, outline_title: str, outline_level: int | None
    ) -> None:
        super().__init__(markup, style)
        self.outline_title = outline_title
        self.outline_level = outline_level


class Bar(Flowable):  # type: ignore[misc]
    """A horizontal bar for a share of votes: grey, so it prints the same in greyscale."""

    def __init__(self, fraction: float, width: float, height: float, colour: str) -> None:
        super().__init__()
        self.fraction = max(0.0, min(1.0, fraction))
        self.bar_width = width
        self.bar_height = height
        self.colour = colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.bar_width = min(self.bar_width, available_width)
        return self.bar_width, self.bar_height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.bar_width, self.bar_height, stroke=1, fill=1)
        if self.fraction > 0:
            canvas.setFillColor(colors.HexColor(self.colour))
            canvas.rect(0, 0, self.bar_width * self.fraction, self.bar_height, stroke=0, fill=1)


# --- context --------------------------------------------------------------------------


@dataclass
class ReportContext:
    session: Session
    names: bool
    facilitator: bool
    large_print: bool
    sheet: Sheet
    width: float
    height: float
    redact: NameRedactor = field(init=False)
    people: dict[str, Participant] = field(init=False)

    def __post_init__(self) -> None:
        self.redact = NameRedactor(self.session.participants, enabled=not self.names)
        self.people = {person.id: person for person in self.session.participants}

    def text(self, value: str) -> str:
        """User text, made anonymous if need be, escaped for paragraph markup."""
        return esc(self.redact(clean(value)))

    def lines(self, value: str) -> str:
        """Like `text`, keeping line breaks."""
        return esc_lines(self.redact(clean(value)))

    def para(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.text(value), style or self.sheet.body)

    def step(self, kind: StepKind) -> Step | None:
        for step in self.session.steps:
            if step.kind is kind:
                return step
        return None

    def section_title(self, kind: StepKind, default: str) -> str:
        step = self.step(kind)
        title = clean(step.title).strip() if step is not None else ""
        return title or default

    def shows(self, kind: StepKind, has_content: bool) -> bool:
        """A section appears when it has something to show, or its step was part of the day."""
        step = self.step(kind)
        return has_content or (step is not None and not step.hidden)

    def person(self, participant_id: str) -> str:
        found = self.people.get(participant_id)
        return found.name if found is not None else "(someone since removed)"


def h1(ctx: ReportContext, title: str, *, new_page: bool = False) -> list[Flowable]:
    """A section heading, with its bookmark; on a new page if asked, else where it fits."""
    # Where less than a quarter of the page is left, start the section on a new one.
    flowables: list[Flowable] = [PageBreak()] if new_page else [CondPageBreak(ctx.height * 0.25)]
    flowables.append(Heading(esc(title), ctx.sheet.h1, " ".join(clean(title).split()), 0))
    return flowables


def h2(ctx: ReportContext, title_markup: str, outline: str | None = None) -> Heading:
    return Heading(title_markup, ctx.sheet.h2, outline or "", 1 if outline else None)


def h2_loose(ctx: ReportContext, title_markup: str, outline: str | None = None) -> list[Flowable]:
    """A heading over a long table: a new page only if little room is left, then the table splits.

    keepWithNext would tie the heading to the whole table, and a table longer than the
    rest of the page would then leave that rest empty.
    """
    heading = Heading(title_markup, ctx.sheet.h2_loose, outline or "", 1 if outline else None)
    return [CondPageBreak(ctx.sheet.base * 10), heading]


def table(
    ctx: ReportContext,
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Iterable[tuple[Any, ...]] = (),
    grid: bool = True,
) -> Table:
    pad = ctx.sheet.padding
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR, ctx.sheet.cell_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    if grid:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE))
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("FONT", (0, 0), (-1, 0), BOLD, ctx.sheet.cell_size),
            ("LINEBELOW", (0, 0), (-1, 0), 1.0, INK),
        ]
    commands.extend(extra)
    return Table(
        rows,
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        splitInRow=1,
        style=TableStyle(commands),
        hAlign="LEFT",
    )


def cell(ctx: ReportContext, value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A table cell of user text."""
    return Paragraph(ctx.text(value), style or ctx.sheet.cell)


def head(ctx: ReportContext, markup: str) -> Paragraph:
    return Paragraph(markup, ctx.sheet.cell_head)


def rich_text(ctx: ReportContext, text: str) -> list[Flowable]:
    """A step body (paragraphs and "- " bullets) as flowables."""
    flowables: list[Flowable] = []
    for block in blocks(clean(text)):
        if block.kind == "bullets":
            flowables.extend(
                Paragraph(ctx.text(line), ctx.sheet.bullet, bulletText="•") for line in block.lines
            )
        else:
            flowables.extend(Paragraph(ctx.text(line), ctx.sheet.body) for line in block.lines)
    return flowables


def muted(ctx: ReportContext, markup: str) -> str:
    """Markup set small and grey, for asides beside a heading or under a title."""
    sheet = ctx.sheet
    return f"<font name='{REGULAR}' size='{sheet.small_size}' color='{styles.MUTED_INK}'>{markup}</font>"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _optional_module(name: str) -> ModuleType | None:
    """A domain module another part of the app may not have yet (matrix rules, canvas reading)."""
    try:
        return importlib.import_module(f"coprod_desktop.domain.{name}")
    except ImportError:
        return None


# --- the story ------------------------------------------------------------------------


def build_story(ctx: ReportContext) -> list[Flowable]:
    body: list[Flowable] = []
    makers = SECTIONS + ((every_count, every_vote) if ctx.facilitator else ())
    for section in makers:
        flowables = section(ctx)
        if not flowables:
            continue
        if not body and isinstance(flowables[0], CondPageBreak | PageBreak):
            flowables = flowables[1:]  # the cover already ended its page
        body.extend(flowables)
    inside = [f.outline_title for f in body if isinstance(f, Heading) and f.outline_level == 0]
    return [*cover(ctx, inside), NextPageTemplate("body"), PageBreak(), *body]


def cover(ctx: ReportContext, inside: Sequence[str] = ()) -> list[Flowable]:
    info = ctx.session.info
    sheet = ctx.sheet
    kind = "Facilitator report" if ctx.facilitator else "Workshop summary"
    flowables: list[Flowable] = [
        Spacer(1, sheet.base * (1.0 if ctx.large_print else 3.0)),
        Paragraph(esc(kind.upper()), sheet.small),
        Heading(ctx.text(info.title.strip() or "Untitled workshop"), sheet.title, "About this workshop", 0),
    ]
    if ctx.facilitator:
        flowables.append(
            Paragraph("Everything in the summary, with every count and every vote.", sheet.subtitle)
        )
    else:
        flowables.append(
            Paragraph("What we did and what we found, for everyone who took part.", sheet.subtitle)
        )
    facts: list[list[Any]] = []
    for label, value in (
        ("Date", format_date(info.date)),
        ("Place", info.place),
        ("Facilitator", info.facilitator),
        ("Purpose", info.purpose),
    ):
        if value.strip():
            facts.append([Paragraph(esc(label), sheet.cell_bold), Paragraph(ctx.lines(value), sheet.body)])
    if facts:
        label_width = sheet.base * (8 if ctx.large_print else 7)
        flowables.append(
            table(
                ctx,
                facts,
                [label_width, ctx.width - label_width],
                header=False,
                grid=False,
                extra=[
                    ("FONT", (0, 0), (-1, -1), REGULAR, sheet.base),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ],
            )
        )
    flowables.append(Spacer(1, sheet.base))
    glance = at_a_glance(ctx)
    if glance:
        flowables.append(Paragraph("At a glance", sheet.h2))
        flowables.extend(Paragraph(line, sheet.bullet, bulletText="•") for line in glance)
    if inside and not ctx.large_print:  # large print keeps the cover to one page
        flowables.append(Paragraph("Inside", sheet.h2))
        flowables.append(Paragraph(" · ".join(esc(title) for title in inside), sheet.body))
    return flowables


def at_a_glance(ctx: ReportContext) -> list[str]:
    session = ctx.session
    lines: list[str] = []
    people = session.participants
    if people:
        lines.append(f"{plural(len(people), 'person', 'people')} took part.")
    agreed = session.matrix.agreed_rung.strip()
    if agreed:
        rung = RUNG_BY_KEY.get(agreed)
        name = rung.name if rung is not None else agreed
        lines.append(f"We agreed that how we work now is closest to <b>{ctx.text(name)}</b>.")
    if session.readiness_items:
        recommendation = readiness_rules.recommend(session)
        if recommendation.verdict is not readiness_rules.Verdict.UNRATED:
            lines.append(f"Should we co-produce? {ctx.text(recommendation.headline)}")
    actions = session.actions
    if actions:
        lines.append(f"We agreed {plural(len(actions), 'action')}; they are listed near the end.")
    return lines


# --- agenda ---------------------------------------------------------------------------


def agenda(ctx: ReportContext) -> list[Flowable]:
    steps = ctx.session.visible_steps
    if not steps:
        return []
    sheet = ctx.sheet
    rows: list[list[Any]] = [["Starts", "Step", "Time"]]
    elapsed = 0
    for step in steps:
        minutes = max(step.minutes, 0)
        rows.append(
            [
                f"{elapsed // 60}:{elapsed % 60:02d}",
                cell(ctx, step.title or "Untitled step"),
                f"{minutes} min" if minutes else "–",
            ]
        )
        elapsed += minutes
    first = sheet.base * 5.5
    last = sheet.base * 6
    flowables = h1(ctx, "Agenda")
    if elapsed:
        hours, minutes = divmod(elapsed, 60)
        length = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
        flowables.append(
            Paragraph(f"The workshop took about {length}. Times are counted from the start.", sheet.lead_in)
        )
    flowables.append(
        table(ctx, rows, [first, ctx.width - first - last, last], extra=[("ALIGN", (2, 0), (2, -1), "RIGHT")])
    )
    return flowables


# --- definitions ------------------------------------------------------------------------

TERM_PARTS = (
    ("what", "What it is"),
    ("what_not", "What it is not"),
    ("differs", "How it differs from co-production"),
    ("example", "An example"),
)


def definitions(ctx: ReportContext) -> list[Flowable]:
    terms = ctx.session.terms
    if not ctx.shows(StepKind.DEFINITION, bool(terms)) or not terms:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, "The words we used")
    flowables.append(
        Paragraph(
            "A short reminder of each word, what it means and how it compares with co-production.",
            sheet.lead_in,
        )
    )
    label_width = sheet.base * 9.5
    for term in terms:
        rung = RUNG_BY_KEY.get(term.rung)
        where = f" · on the ladder: {esc(rung.name)}" if rung is not None else " · beside the ladder"
        title = ctx.text(term.name) + muted(ctx, where)
        parts: list[tuple[str, str]] = [(label, getattr(term, attr)) for attr, label in TERM_PARTS]
        parts = [(label, value) for label, value in parts if value.strip()]
        flowables.append(Paragraph(title, sheet.h3))
        if ctx.large_print:
            for label, value in parts:
                flowables.append(Paragraph(f"<b>{esc(label)}:</b> {ctx.text(value)}", sheet.body))
        elif parts:
            rows = [[Paragraph(esc(label), sheet.cell_bold), cell(ctx, value)] for label, value in parts]
            flowables.append(table(ctx, rows, [label_width, ctx.width - label_width], header=False))
    flowables.extend(ladder(ctx, terms))
    return flowables


def ladder(ctx: ReportContext, terms: Sequence[Term]) -> list[Flowable]:
    sheet = ctx.sheet
    by_rung: dict[str, list[str]] = {}
    for term in terms:
        by_rung.setdefault(term.rung, []).append(ctx.text(term.name))
    rows: list[list[Any]] = [["", "Rung", "What it means", "Our words"]]
    extra: list[tuple[Any, ...]] = []
    top = len(LADDER)
    for index, rung in enumerate(reversed(LADDER)):
        height = top - index
        colour = styles.heat_colour((height - 1) / (top - 1))
        ink = styles.text_colour_on(colour)
        row = index + 1
        rows.append(
            [
                Paragraph(f"<font color='{ink}'><b>{height}</b></font>", sheet.heat),
                Paragraph(f"<b>{esc(rung.name)}</b>", sheet.cell),
                Paragraph(esc(rung.summary), sheet.cell),
                Paragraph(", ".join(by_rung.get(rung.key, [])) or "", sheet.cell),
            ]
        )
        extra.append(("BACKGROUND", (0, row), (0, row), colors.HexColor(colour)))
    beside = [ctx.text(t.name) for t in terms if t.rung not in RUNG_BY_KEY]
    number_width = sheet.base * 2.6
    name_width = sheet.base * (9 if ctx.large_print else 8)
    words_width = sheet.base * (10 if ctx.large_print else 11)
    flowables: list[Flowable] = [
        KeepTogether(
            [
                h2(ctx, "The ladder of co-production", "The ladder of co-production"),
                Paragraph(
                    "From the top rung, an equal partnership, down to the bottom, where people have "
                    "no say at all.",
                    sheet.lead_in,
                ),
                table(
                    ctx,
                    rows,
                    [
                        number_width,
                        name_width,
                        ctx.width - number_width - name_width - words_width,
                        words_width,
                    ],
                    extra=extra,
                ),
            ]
        )
    ]
    if beside:
        flowables.append(Spacer(1, sheet.base * 0.4))
        flowables.append(
            Paragraph(
                f"Beside the ladder: {', '.join(beside)}. No provider shares power there, so it has no rung.",
                sheet.small,
            )
        )
    return flowables


# --- scenarios --------------------------------------------------------------------------


def scenarios(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.scenarios
    if not ctx.shows(StepKind.SCENARIOS, bool(items)) or not items:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, ctx.section_title(StepKind.SCENARIOS, "Which is it?"))
    flowables.append(
        Paragraph(
            "For each short story, the group voted on which word fits best. Below are the votes, the answer "
            "and why. Stories marked “" + NOT_REVEALED + "” were voted on but their results were not shown "
            "on the day; they are here so the record is complete.",
            sheet.lead_in,
        )
    )
    for number_, scenario in enumerate(items, start=1):
        flowables.extend(scenario_block(ctx, number_, scenario_result(session, scenario)))
    return flowables


def scenario_block(ctx: ReportContext, position: int, result: ScenarioResult) -> list[Flowable]:
    sheet = ctx.sheet
    session = ctx.session
    scenario = result.scenario
    title = f"{position}. {ctx.text(scenario.title or 'Untitled story')}"
    block: list[Flowable] = [h2(ctx, title, f"{position}. {' '.join(clean(scenario.title).split())}")]
    if not result.revealed and result.total:
        block.append(Paragraph(f"◌ {NOT_REVEALED}: these votes were not shown on the day.", sheet.small))
    if scenario.text.strip():
        block.append(Paragraph(ctx.lines(scenario.text), sheet.story))
    if result.total:
        top = max(count for _, count in result.counts)
        name_width = sheet.base * (13 if ctx.large_print else 15)
        count_width = sheet.base * 4.5
        mark_width = sheet.base * (6 if ctx.large_print else 6.5)
        bar_width = ctx.width - name_width - count_width - mark_width
        rows: list[list[Any]] = [["Word", "Votes", "", ""]]
        extra: list[tuple[Any, ...]] = [
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for row, (key, count) in enumerate(result.counts, start=1):
            answer = key == scenario.answer
            name = ctx.text(term_name(session, key))
            rows.append(
                [
                    Paragraph(f"<b>{name}</b>" if answer else name, sheet.cell),
                    str(count),
                    Bar(
                        count / top if top else 0,
                        bar_width - 2 * sheet.padding,
                        sheet.cell_size * 0.9,
                        styles.HEAT_PALETTE[1] if answer else styles.HEAT_PALETTE[3],
                    ),
                    Paragraph("<b>✓ Answer</b>", sheet.cell) if answer else "",
                ]
            )
            if answer:
                extra.append(("BACKGROUND", (0, row), (-1, row), TINT))
        block.append(table(ctx, rows, [name_width, count_width, bar_width, mark_width], extra=extra))
        share = result.share_correct
        if share is not None and scenario.answer:
            block.append(Spacer(1, sheet.base * 0.3))
            block.append(
                Paragraph(
                    f"{result.correct} of {plural(result.total, 'vote')} chose the answer ({share:.0%}).",
                    sheet.small,
                )
            )
    else:
        block.append(Paragraph("No votes were recorded for this story.", sheet.small))
    answer_text = ""
    if scenario.answer:
        answer_text = f"<b>The answer: {ctx.text(term_name(session, scenario.answer))}.</b> "
    if answer_text or scenario.explanation.strip():
        block.append(Paragraph(answer_text + ctx.text(scenario.explanation), sheet.body))
    # A story stays on one page with its votes, unless it is too long or the type is large:
    # large print would then leave half of every page empty.
    size = len(scenario.text) + len(scenario.explanation)
    return [KeepTogether(block)] if size < 1500 and not ctx.large_print else block


# --- the matrix -------------------------------------------------------------------------


@dataclass(frozen=True)
class CellResult:
    summary: RatingSummary
    counts: Counter[str]
    revealed: bool
    lived: float | None
    staff: float | None
    gap_from: float  # a gap between the two groups this large is called out

    @property
    def big_gap(self) -> bool:
        if self.lived is None or self.staff is None:
            return False
        return abs(self.staff - self.lived) >= self.gap_from


def matrix_results(session: Session) -> dict[tuple[str, str], CellResult]:
    points = len(session.matrix.scale)
    found: dict[tuple[str, str], CellResult] = {}
    for criterion in session.criteria:
        for stage in session.stages:
            question = cell_question(criterion.id, stage.id)
            counts = tally(session, question)
            split = role_split(session, question)
            found[(criterion.id, stage.id)] = CellResult(
                summarise(ratings(counts), points),
                counts,
                is_revealed(session, question),
                split.lived_experience,
                split.professional,
                gap_threshold(points),
            )
    return found


def gap_threshold(points: int) -> float:
    """The gap between lived experience and staff that is called out: a quarter of the scale."""
    return SPLIT_GAP_SHARE * max(points - 1, 1)


def shown(value: float | None) -> float | None:
    """A rating as the app shows it: the scale's own numbers, 0 at the bottom (as the rules say)."""
    return value


def matrix(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    criteria, stages = session.criteria, session.stages
    has_grid = bool(criteria and stages)
    if not ctx.shows(StepKind.MATRIX, has_grid) or not has_grid:
        return []
    sheet = ctx.sheet
    scale = session.matrix.scale
    points = max(len(scale), 2)
    results = matrix_results(session)
    flowables = h1(ctx, ctx.section_title(StepKind.MATRIX, "How do we work now?"))
    low = f"0 ({ctx.text(scale[0])})" if scale else "0"
    high = f"{points - 1} ({ctx.text(scale[-1])})" if scale else str(points - 1)
    flowables.append(
        Paragraph(
            "The group rated how equally we work on each sign of co-production (rows) at each stage "
            f"(columns), from {low} to {high}. Each box shows the average rating; the darker the box, "
            f"the lower it is. <i>Spread</i> says how far apart the votes were; “{DISAGREEMENT}” marks "
            "boxes where the room was divided.",
            sheet.lead_in,
        )
    )
    if ctx.large_print:
        flowables.append(KeepTogether([scale_key(ctx, scale)]))
        flowables.append(Spacer(1, sheet.base * 0.6))
        flowables.extend(matrix_by_criterion(ctx, results, points))
    else:
        # The heading, the key and the heat map on one page where they fit: a heat map cut
        # after its first row is hard to read. (A grid taller than a page still splits.)
        opening = [
            *flowables[1:],
            scale_key(ctx, scale),
            Spacer(1, sheet.base * 0.6),
            heat_map(ctx, results, points),
        ]
        flowables = [flowables[0], KeepTogether(opening)]
        flowables.extend(split_table(ctx, results))
    hidden = sum(1 for result in results.values() if result.summary.votes and not result.revealed)
    if hidden:
        flowables.append(
            Paragraph(
                f"* {plural(hidden, 'box', 'boxes')} had votes that were not revealed in the room.",
                sheet.small,
            )
        )
    flowables.extend(classification(ctx))
    return flowables


def scale_key(ctx: ReportContext, scale: Sequence[str]) -> Table:
    sheet = ctx.sheet
    points = max(len(scale), 2)
    row: list[Any] = []
    extra: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for index, label in enumerate(scale):
        colour = styles.heat_colour(index / (points - 1))
        ink = styles.text_colour_on(colour)
        row.append(Paragraph(f"<font color='{ink}'><b>{index}</b><br/>{ctx.text(label)}</font>", sheet.heat))
        extra.append(("BACKGROUND", (index, 0), (index, 0), colors.HexColor(colour)))
    width = ctx.width / max(len(row), 1)
    if ctx.large_print:
        rows = [[item] for item in row]
        extra = [("BACKGROUND", (0, i), (0, i), cmd[3]) for i, cmd in enumerate(extra[1:])]
        return table(ctx, rows, [ctx.width * 0.6], header=False, extra=extra, grid=False)
    return table(ctx, [row], [width] * len(row), header=False, extra=extra, grid=False)


def heat_cell(ctx: ReportContext, result: CellResult, points: int) -> tuple[Paragraph, str | None]:
    """A heat map box: average, votes, spread and a flag; and its background colour."""
    sheet = ctx.sheet
    summary = result.summary
    if not summary.votes or summary.mean is None:
        return Paragraph("<font color='#555555'>–<br/>no votes</font>", sheet.heat), None
    colour = styles.heat_colour(summary.mean / (points - 1))
    ink = styles.text_colour_on(colour)
    big = sheet.cell_size * 1.45
    star = "*" if not result.revealed else ""
    lines = [
        f"<font size='{big}'><b>{number(shown(summary.mean))}{star}</b></font>",
        plural(summary.votes, "vote"),
        f"spread {summary.spread:.1f}",
    ]
    if summary.disagreement:
        lines.append(f"<b>{DISAGREEMENT}</b>")
    return Paragraph(f"<font color='{ink}'>{'<br/>'.join(lines)}</font>", sheet.heat), colour


def heat_map(ctx: ReportContext, results: dict[tuple[str, str], CellResult], points: int) -> Table:
    session = ctx.session
    sheet = ctx.sheet
    stages = session.stages
    label_width = min(ctx.width * 0.26, sheet.base * 13)
    column = (ctx.width - label_width) / len(stages)
    rows: list[list[Any]] = [[""] + [Paragraph(ctx.text(stage.title), sheet.cell_head) for stage in stages]]
    extra: list[tuple[Any, ...]] = [
        ("GRID", (1, 1), (-1, -1), 1.5, colors.white),
        ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
    ]
    for row, criterion in enumerate(session.criteria, start=1):
        line: list[Any] = [Paragraph(ctx.text(criterion.title), sheet.cell_bold)]
        for col, stage in enumerate(stages, start=1):
            content, colour = heat_cell(ctx, results[(criterion.id, stage.id)], points)
            line.append(content)
            if colour is not None:
                extra.append(("BACKGROUND", (col, row), (col, row), colors.HexColor(colour)))
        rows.append(line)
    averages: list[Any] = [Paragraph("Average of the stage", sheet.cell_bold)]
    bottom = len(rows)
    for col, stage in enumerate(stages, start=1):
        means = [
            r.summary.mean for (_, s), r in results.items() if s == stage.id and r.summary.mean is not None
        ]
        if not means:
            averages.append(Paragraph("–", sheet.heat))
            continue
        mean = statistics.fmean(means)
        colour = styles.heat_colour(mean / (points - 1))
        ink = styles.text_colour_on(colour)
        averages.append(Paragraph(f"<font color='{ink}'><b>{number(shown(mean))}</b></font>", sheet.heat))
        extra.append(("BACKGROUND", (col, bottom), (col, bottom), colors.HexColor(colour)))
    rows.append(averages)
    extra.append(("LINEABOVE", (0, bottom), (-1, bottom), 1.0, INK))
    return table(ctx, rows, [label_width] + [column] * len(stages), extra=extra)


def split_text(result: CellResult) -> str:
    lived, staff = shown(result.lived), shown(result.staff)
    if lived is None and staff is None:
        return "–"
    text = f"Lived {number(lived)}<br/>Staff {number(staff)}"
    if lived is not None and staff is not None and result.big_gap:
        gap = staff - lived
        if gap:
            who = "Staff" if gap > 0 else "Lived"
            text += f"<br/><b>{who} +{abs(gap):.1f}</b>"
    return text


def split_table(ctx: ReportContext, results: dict[tuple[str, str], CellResult]) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    if all(r.lived is None and r.staff is None for r in results.values()):
        return [
            Spacer(1, sheet.base * 0.5),
            Paragraph(
                "There is no split by role: the votes were counted without names, so nobody's role is known.",
                sheet.small,
            ),
        ]
    stages = session.stages
    label_width = min(ctx.width * 0.26, sheet.base * 13)
    column = (ctx.width - label_width) / len(stages)
    rows: list[list[Any]] = [[""] + [Paragraph(ctx.text(stage.title), sheet.cell_head) for stage in stages]]
    extra: list[tuple[Any, ...]] = [("GRID", (1, 1), (-1, -1), 0.4, RULE)]
    for row, criterion in enumerate(session.criteria, start=1):
        line: list[Any] = [Paragraph(ctx.text(criterion.title), sheet.cell_bold)]
        for col, stage in enumerate(stages, start=1):
            result = results[(criterion.id, stage.id)]
            line.append(Paragraph(split_text(result), sheet.cell_centre))
            if result.big_gap:
                extra.append(("BACKGROUND", (col, row), (col, row), TINT))
        rows.append(line)
    return [
        h2(ctx, "Lived experience and staff, side by side"),
        Paragraph(
            "The average rating given by people with lived experience (people who use services, carers and "
            "community members) and by staff (frontline staff, managers and researchers). A gap of "
            f"{gap_threshold(len(session.matrix.scale)):g} or more is written out and shaded: it shows "
            "the two groups see the same work differently.",
            sheet.lead_in,
        ),
        table(ctx, rows, [label_width] + [column] * len(stages), extra=extra),
    ]


def matrix_by_criterion(
    ctx: ReportContext, results: dict[tuple[str, str], CellResult], points: int
) -> list[Flowable]:
    """The large print matrix: one small table per row of the grid, so the type can stay big."""
    session = ctx.session
    sheet = ctx.sheet
    flowables: list[Flowable] = []
    widths = [ctx.width * 0.34, ctx.width * 0.33, ctx.width * 0.33]
    for criterion in session.criteria:
        rows: list[list[Any]] = [["Stage", "Average", "Lived · staff"]]
        extra: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for row, stage in enumerate(session.stages, start=1):
            result = results[(criterion.id, stage.id)]
            content, colour = heat_cell(ctx, result, points)
            rows.append([cell(ctx, stage.title), content, Paragraph(split_text(result), sheet.cell_centre)])
            if colour is not None:
                extra.append(("BACKGROUND", (1, row), (1, row), colors.HexColor(colour)))
        flowables.append(
            KeepTogether([h2(ctx, ctx.text(criterion.title)), table(ctx, rows, widths, extra=extra)])
        )
    return flowables


def classification(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    flowables: list[Flowable] = []
    computed = _computed_classification(ctx)
    if computed:
        flowables.append(KeepTogether([h2(ctx, "What the ratings suggest"), *computed]))
    agreed = session.matrix.agreed_rung.strip()
    reason = session.matrix.agreed_reason.strip()
    if agreed or reason:
        flowables.append(h2(ctx, "What we agreed"))
        if agreed:
            rung = RUNG_BY_KEY.get(agreed)
            name = rung.name if rung is not None else agreed
            flowables.append(Paragraph(f"How we work now is closest to: {ctx.text(name)}", sheet.callout))
        if reason:
            flowables.append(Paragraph(ctx.lines(reason), sheet.body))
    return flowables


def _computed_classification(ctx: ReportContext) -> list[Flowable]:
    """The matrix rules' placement (domain/matrix.py `classify`), with every rule and whether it held."""
    module = _optional_module("matrix")
    classify: Callable[[Session], Any] | None = getattr(module, "classify", None) if module else None
    if classify is None:
        return []
    result = classify(ctx.session)
    if result is None:
        return [Paragraph("No box has a revealed rating yet, so the rules place nothing.", ctx.sheet.small)]
    sheet = ctx.sheet
    name = getattr(result, "name", None)
    rules = getattr(result, "rules", None)
    if not isinstance(name, str) or not isinstance(rules, tuple | list):
        return describe_result(ctx, result)
    flowables: list[Flowable] = [
        Paragraph(f"By the rules below, the ratings place our work at: {ctx.text(name)}", sheet.callout)
    ]
    reason = getattr(result, "reason", "")
    if isinstance(reason, str) and reason.strip():
        flowables.append(Paragraph(ctx.text(reason), sheet.body))
    flowables.append(
        Paragraph(
            "The rules, read from the top: the first that holds gives the place. "
            "Only boxes revealed in the room count.",
            sheet.small,
        )
    )
    chosen = getattr(result, "rung", None)
    for rule in rules:
        held = bool(getattr(rule, "held", False))
        text = ctx.text(str(getattr(rule, "text", rule)))
        mark = "✓ holds" if held else "✗ does not hold"
        line = f"{text} <font color='{styles.MUTED_INK}'>({mark})</font>"
        if getattr(rule, "rung", None) == chosen:
            line = f"<b>{text}</b> <b>(✓ holds: this is the place)</b>"
        flowables.append(Paragraph(line, sheet.bullet, bulletText="•"))
    return flowables


def describe_result(ctx: ReportContext, result: Any) -> list[Flowable]:
    """Our best reading of a domain result object: a headline, then its rules or reasons."""
    sheet = ctx.sheet
    flowables: list[Flowable] = []
    if isinstance(result, str):
        return rich_text(ctx, result)
    headline = ""
    for name in ("headline", "summary", "label", "title", "text"):
        value = getattr(result, name, None)
        if isinstance(value, str) and value.strip():
            headline = value
            break
    rung_key = getattr(result, "rung", None)
    if not headline and isinstance(rung_key, str):
        rung = RUNG_BY_KEY.get(rung_key)
        headline = rung.name if rung is not None else rung_key
    if headline:
        flowables.append(Paragraph(ctx.text(headline), sheet.callout))
    for name in ("reasons", "explanation", "rules", "fired", "applied"):
        value = getattr(result, name, None)
        if isinstance(value, str) and value.strip():
            flowables.extend(rich_text(ctx, value))
        elif isinstance(value, list | tuple):
            for item in value:
                text = item if isinstance(item, str) else getattr(item, "text", None) or str(item)
                flowables.append(Paragraph(ctx.text(str(text)), sheet.bullet, bulletText="•"))
    return flowables


# --- the canvas -------------------------------------------------------------------------


def canvas_section(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    cards = session.cards
    if not ctx.shows(StepKind.CANVAS, bool(cards)):
        return []
    sheet = ctx.sheet
    background = session.canvas.background
    flowables = h1(ctx, ctx.section_title(StepKind.CANVAS, "Who holds the power?"), new_page=bool(cards))
    if not cards:
        flowables.append(Paragraph("No cards were placed on the canvas.", sheet.body))
        return flowables
    intro = Paragraph(
        "Each card is a person, a group or a decision. A hollow shape shows where it sits now; a filled "
        "shape shows where we want it to be, with an arrow for the change. The numbers lead to the list "
        "of cards.",
        sheet.lead_in,
    )
    size = 11.0 if ctx.large_print else 7.5
    if ctx.large_print:  # the picture first, as big as the page allows; the words after it
        flowables.append(
            canvas_drawing(cards, background, ctx.width, ctx.height - sheet.base * 4.5, font_size=size)
        )
        flowables.append(intro)
    else:
        flowables.append(intro)
        flowables.append(canvas_drawing(cards, background, ctx.width, ctx.height * 0.78, font_size=size))
    flowables.extend(canvas_reading(ctx))
    flowables.extend(card_table(ctx, cards))
    return flowables


READING_LIMIT = 12  # cards named in the reading; the table lists every card anyway


def canvas_reading(ctx: ReportContext) -> list[Flowable]:
    module = _optional_module("canvas")
    reading: Callable[..., Any] | None = getattr(module, "reading", None) if module else None
    if reading is None:
        return []
    try:
        result = reading(ctx.session, limit=READING_LIMIT)
    except TypeError:  # a reading without a limit
        result = reading(ctx.session)
    if not result:
        return []
    flowables: list[Flowable] = [h2(ctx, "What the canvas tells us")]
    if isinstance(result, list | tuple):
        for item in result:
            flowables.append(Paragraph(ctx.text(str(item)), ctx.sheet.bullet, bulletText="•"))
    else:
        flowables.extend(describe_result(ctx, result))
    return flowables


def card_table(ctx: ReportContext, cards: Sequence[Card]) -> list[Flowable]:
    sheet = ctx.sheet
    look = canvas_look(ctx.session.canvas.background)
    number_width = sheet.base * 2.8
    rows: list[list[Any]] = []
    for index, card in enumerate(cards, start=1):
        mark = look.mark(card)
        symbol = f"<font color='{mark.colour}'>{mark.symbol}</font>"
        details = f"{symbol} {esc(mark.name)}"
        if ctx.names and card.participant_id in ctx.people:
            details += f" · from {ctx.text(ctx.people[card.participant_id].name)}"
        text = ctx.text(card.text or "(no text)")
        now = esc(look.where(card.now_x, card.now_y))
        aim = esc(look.where(card.aspiration_x, card.aspiration_y))
        number_cell = Paragraph(f"<b>{index}</b>", sheet.cell)
        if ctx.large_print:
            line = f"<b>{text}</b><br/>{details}<br/>Now: {now}<br/>We want: {aim}"
            rows.append([number_cell, Paragraph(line, sheet.cell)])
        else:
            rows.append(
                [
                    number_cell,
                    Paragraph(
                        f"<b>{text}</b><br/><font size='{sheet.small_size}'>{details}</font>", sheet.cell
                    ),
                    Paragraph(now, sheet.cell),
                    Paragraph(aim, sheet.cell),
                ]
            )
    if ctx.large_print:
        header = ["", "Card"]
        widths = [number_width, ctx.width - number_width]
    else:
        header = ["", "Card", "Now", "Where we want it"]
        rest = ctx.width - number_width
        widths = [number_width, rest * 0.4, rest * 0.3, rest * 0.3]
    return [*h2_loose(ctx, "The cards"), table(ctx, [header, *rows], widths)]


# --- readiness --------------------------------------------------------------------------

STATUS_MARK = {
    readiness_rules.Status.IN_PLACE: "✓",
    readiness_rules.Status.PARTLY: "◐",
    readiness_rules.Status.MISSING: "✗",
    readiness_rules.Status.UNRATED: "?",
}


def readiness_label(mean: float | None) -> str:
    if mean is None:
        return "–"
    scale = readiness_rules.READINESS_SCALE
    nearest = scale[max(0, min(len(scale) - 1, round(mean)))]
    return f"{mean:.1f} ({nearest})"


def readiness(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.readiness_items
    if not ctx.shows(StepKind.READINESS, bool(items)) or not items:
        return []
    sheet = ctx.sheet
    recommendation = readiness_rules.recommend(session)
    flowables = h1(ctx, ctx.section_title(StepKind.READINESS, "Should we co-produce?"))
    flowables.append(
        Paragraph(
            "Co-production needs the right conditions. The group rated each one; the app turns the ratings "
            "into "
            "a recommendation by the rules printed below.",
            sheet.lead_in,
        )
    )
    flowables.append(Paragraph(ctx.text(recommendation.headline), sheet.callout))
    average = sheet.base * 8.5
    votes = sheet.base * 4
    status_width = sheet.base * 8.5
    if ctx.large_print:
        header: list[Any] = ["Condition", "Average", "Status"]
        widths = [ctx.width - average - status_width, average, status_width]
    else:
        header = ["Condition", "Average", "Votes", "Status"]
        widths = [ctx.width - average - votes - status_width, average, votes, status_width]
    rows: list[list[Any]] = [header]
    for condition in recommendation.conditions:
        status = condition.status
        title = f"<b>{ctx.text(condition.item.title)}</b><br/>" + muted(
            ctx, ctx.text(condition.item.description)
        )
        mark = Paragraph(f"<b>{STATUS_MARK[status]}</b> {esc(status.label)}", sheet.cell)
        mean = readiness_label(condition.mean)
        if ctx.large_print:
            average_text = f"{mean}<br/>{plural(condition.votes, 'vote')}"
            rows.append([Paragraph(title, sheet.cell), Paragraph(average_text, sheet.cell), mark])
        else:
            rows.append(
                [Paragraph(title, sheet.cell), Paragraph(mean, sheet.cell), str(condition.votes), mark]
            )
    right = [] if ctx.large_print else [("ALIGN", (2, 0), (2, -1), "RIGHT")]
    flowables.append(table(ctx, rows, widths, extra=right))
    flowables.append(h2(ctx, "How the recommendation is made"))
    flowables.append(
        Paragraph(
            "Ratings run from 0 ("
            + esc(readiness_rules.READINESS_SCALE[0])
            + ") to 4 ("
            + esc(readiness_rules.READINESS_SCALE[-1])
            + ").",
            sheet.body,
        )
    )
    flowables.extend(Paragraph(esc(rule), sheet.bullet, bulletText="•") for rule in readiness_rules.RULES)
    return flowables


# --- actions, notes, people, references ---------------------------------------------------


def actions(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = session.actions
    if not ctx.shows(StepKind.ACTIONS, bool(items)):
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, ctx.section_title(StepKind.ACTIONS, "What will we do?"))
    if not items:
        flowables.append(Paragraph("No actions were recorded.", sheet.body))
        return flowables
    done = sum(1 for action in items if action.done)
    summary = f"{plural(len(items), 'action')} agreed"
    flowables.append(Paragraph(summary + (f", {done} already done." if done else "."), sheet.lead_in))
    rows: list[list[Any]] = []
    for index, action in enumerate(items, start=1):
        status = "✓ Done" if action.done else "☐ To do"
        link = link_text(ctx, action.link)
        what = ctx.text(action.what or "(no description)")
        if link:
            what += "<br/>" + muted(ctx, link)
        if ctx.large_print:
            owner = ctx.text(action.who) or "–"
            due = ctx.text(format_date(action.due)) or "–"
            line = f"<b>{what}</b><br/>Who: {owner}<br/>By: {due} · {status}"
            rows.append([Paragraph(f"<b>{index}</b>", sheet.cell), Paragraph(line, sheet.cell)])
        else:
            rows.append(
                [
                    Paragraph(f"<b>{index}</b>", sheet.cell),
                    Paragraph(what, sheet.cell),
                    cell(ctx, action.who or "–"),
                    cell(ctx, format_date(action.due) or "–"),
                    Paragraph(status, sheet.cell),
                ]
            )
    number_width = sheet.base * 2.8
    if ctx.large_print:
        flowables.append(table(ctx, [["", "Action"], *rows], [number_width, ctx.width - number_width]))
    else:
        who_width, due_width, status_width = sheet.base * 10, sheet.base * 9, sheet.base * 5.5
        what_width = ctx.width - number_width - who_width - due_width - status_width
        flowables.append(
            table(
                ctx,
                [["", "What", "Who", "By when", "Status"], *rows],
                [number_width, what_width, who_width, due_width, status_width],
            )
        )
    return flowables


def link_text(ctx: ReportContext, link: str) -> str:
    kind, _, ident = link.partition(":")
    session = ctx.session
    if kind == "criterion":
        found = next((c for c in session.criteria if c.id == ident), None)
        return f"About the matrix row “{ctx.text(found.title)}”" if found else ""
    if kind == "card":
        cards = session.cards
        for index, card in enumerate(cards, start=1):
            if card.id == ident:
                return f"About canvas card {index}, “{ctx.text(card.text)}”"
    return ""


def notes(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    items = [note for note in session.notes if note.text.strip()]
    if not items:
        return []
    sheet = ctx.sheet
    titles = {step.id: step.title for step in session.steps}
    flowables = h1(ctx, "Notes from the day")
    current: str | None = None
    for note in items:
        heading = titles.get(note.step_id, "General")
        if heading != current:
            flowables.append(Paragraph(ctx.text(heading), sheet.h3))
            current = heading
        flowables.append(Paragraph(ctx.lines(note.text), sheet.body))
    return flowables


def people(ctx: ReportContext) -> list[Flowable]:
    participants = ctx.session.participants
    if not participants:
        return []
    sheet = ctx.sheet
    flowables = h1(ctx, "Who took part")
    if ctx.names:
        rows: list[list[Any]] = [["Name", "Role"]]
        rows += [[cell(ctx, p.name), Paragraph(esc(p.role.label), sheet.cell)] for p in participants]
        half = ctx.width / 2
        flowables.append(table(ctx, rows, [half, half]))
    else:
        counts = Counter(p.role for p in participants)
        flowables.append(
            Paragraph(
                f"{plural(len(participants), 'person', 'people')} took part. "
                "This copy leaves out everyone's name.",
                sheet.body,
            )
        )
        for role in RoleGroup:
            if counts[role]:
                flowables.append(
                    Paragraph(f"{esc(role.label)}: {counts[role]}", sheet.bullet, bulletText="•")
                )
    return flowables


def references(ctx: ReportContext) -> list[Flowable]:
    step = ctx.step(StepKind.REFERENCES)
    if step is None or step.hidden or not step.body.strip():
        return []
    return [
        *h1(ctx, ctx.section_title(StepKind.REFERENCES, "Where these ideas come from")),
        *rich_text(ctx, step.body),
    ]


SECTIONS: tuple[Callable[[ReportContext], list[Flowable]], ...] = (
    agenda,
    definitions,
    scenarios,
    matrix,
    canvas_section,
    readiness,
    actions,
    notes,
    people,
    references,
)


# --- the facilitator's extras ------------------------------------------------------------


def every_count(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    flowables = h1(ctx, "Every count", new_page=True)
    flowables.append(
        Paragraph(
            "How many people chose each point of the scale, for every box of the matrix and every "
            "readiness condition, named votes and counted hands together. The scenario counts are with "
            "each story above.",
            sheet.lead_in,
        )
    )
    scale = session.matrix.scale
    points = len(scale)
    if session.criteria and session.stages and points:
        results = matrix_results(session)
        for criterion in session.criteria:
            rows: list[list[Any]] = [
                ["Stage", *[str(i) for i in range(points)], "Votes", "Average", "Median", "Spread"]
            ]
            for stage in session.stages:
                result = results[(criterion.id, stage.id)]
                summary = result.summary
                rows.append(
                    [
                        cell(ctx, stage.title),
                        *[str(result.counts.get(str(i), 0)) for i in range(points)],
                        str(summary.votes),
                        number(shown(summary.mean)),
                        number(shown(summary.median)),
                        f"{summary.spread:.2f}",
                    ]
                )
            flowables.append(
                h2(ctx, ctx.text(criterion.title), "Counts: " + " ".join(clean(criterion.title).split()))
            )
            flowables.append(count_table(ctx, rows, points))
        other = _other_choices(session)
        if other:
            flowables.append(Paragraph(other, sheet.small))
    items = session.readiness_items
    if items:
        labels = readiness_rules.READINESS_SCALE
        rows = [["Condition", *[f"{i} {labels[i]}" for i in range(len(labels))], "Votes", "Average"]]
        for item in items:
            counts = tally(session, readiness_question(item.id))
            values = ratings(counts)
            rows.append(
                [
                    cell(ctx, item.title),
                    *[str(counts.get(str(i), 0)) for i in range(len(labels))],
                    str(len(values)),
                    number(statistics.fmean(values) if values else None),
                ]
            )
        flowables.append(h2(ctx, "Readiness conditions", "Counts: readiness"))
        flowables.append(count_table(ctx, rows, len(labels)))
    return flowables


def _other_choices(session: Session) -> str:
    """Matrix votes that are not a point of the scale (kept, never dropped silently)."""
    points = {str(i) for i in range(len(session.matrix.scale))}
    odd = 0
    for criterion in session.criteria:
        for stage in session.stages:
            counts = tally(session, cell_question(criterion.id, stage.id))
            odd += sum(count for choice, count in counts.items() if choice not in points)
    return (
        f"{plural(odd, 'vote')} in the matrix named a choice outside the scale and are not counted above."
        if odd
        else ""
    )


def count_table(ctx: ReportContext, rows: list[list[Any]], points: int) -> Table:
    """Counts per point of the scale, then the statistics; the statistics' headers never break."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    sheet = ctx.sheet
    columns = len(rows[0])
    stats = columns - 1 - points
    first = ctx.width * (0.3 if ctx.large_print else 0.24)
    stat_width = (
        max(stringWidth(str(text), BOLD, sheet.cell_size) for text in rows[0][1 + points :]) if stats else 0
    )
    stat_width += 2 * sheet.padding + 2
    point_width = (ctx.width - first - stats * stat_width) / max(points, 1)
    header = [rows[0][0]] + [Paragraph(esc(str(text)), sheet.cell_centre) for text in rows[0][1:]]
    return table(
        ctx,
        [header, *rows[1:]],
        [first] + [point_width] * points + [stat_width] * stats,
        extra=[("ALIGN", (1, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
    )


def every_vote(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    votes = session.votes
    if not votes:
        return []
    flowables = h1(ctx, "Every vote", new_page=True)
    if not ctx.names:
        flowables.append(
            Paragraph(
                f"{plural(len(votes), 'vote was', 'votes were')} cast by name. This copy leaves names "
                "out, so who chose what is not shown; the counts above include every one of them.",
                sheet.body,
            )
        )
        return flowables
    flowables.append(
        Paragraph(
            "Every vote cast by name (in named or secret voting), person by person. Hands counted in "
            "the room carry no names and are only in the counts.",
            sheet.lead_in,
        )
    )
    by_question: dict[str, dict[str, str]] = {}
    for vote in votes:
        by_question.setdefault(vote.question, {})[vote.participant_id] = vote.choice
    flowables.extend(matrix_votes(ctx, by_question))
    flowables.extend(scenario_votes(ctx, by_question))
    flowables.extend(readiness_votes(ctx, by_question))
    known = (
        {cell_question(c.id, s.id) for c in session.criteria for s in session.stages}
        | {scenario_question(s.id) for s in session.scenarios}
        | {readiness_question(r.id) for r in session.readiness_items}
    )
    stray = [vote for vote in votes if vote.question not in known]
    if stray:
        flowables.extend(stray_votes(ctx, stray))
    return flowables


def _voters(
    ctx: ReportContext, by_question: dict[str, dict[str, str]], questions: Iterable[str]
) -> list[str]:
    ids: set[str] = set()
    for question in questions:
        ids.update(by_question.get(question, {}))
    order = {person.id: index for index, person in enumerate(ctx.session.participants)}
    return sorted(ids, key=lambda pid: (order.get(pid, len(order)), pid))


def vote_grid(
    ctx: ReportContext,
    title: str,
    outline: str,
    columns: Sequence[tuple[str, str]],  # (question, header)
    by_question: dict[str, dict[str, str]],
    show: Callable[[str, str], str],  # (question, choice) -> cell text (markup)
    *,
    plain_numbers: bool = False,
) -> list[Flowable]:
    """Participants down the side, questions across, in chunks that fit the page width."""
    voters = _voters(ctx, by_question, (question for question, _ in columns))
    if not voters:
        return []
    sheet = ctx.sheet
    per_table = 3 if ctx.large_print else 5
    name_width = ctx.width * (0.34 if ctx.large_print else 0.28)
    flowables: list[Flowable] = h2_loose(ctx, title, outline)
    names = {pid: Paragraph(ctx.text(ctx.person(pid)), sheet.cell) for pid in voters}
    for start in range(0, len(columns), per_table):
        chunk = columns[start : start + per_table]
        width = (ctx.width - name_width) / len(chunk)
        rows: list[list[Any]] = [
            ["Participant", *[Paragraph(header, sheet.cell_head) for _, header in chunk]]
        ]
        for pid in voters:
            line: list[Any] = [names[pid]]
            for question, _ in chunk:
                choice = by_question.get(question, {}).get(pid)
                if choice is None:
                    line.append("–")
                elif choice.isdigit() and len(choice) < 4 and plain_numbers:
                    line.append(choice)  # a plain string cell: quick, and nothing to escape
                else:
                    line.append(Paragraph(show(question, choice), sheet.cell_centre))
            rows.append(line)
        flowables.append(
            table(
                ctx, rows, [name_width] + [width] * len(chunk), extra=[("ALIGN", (1, 1), (-1, -1), "CENTER")]
            )
        )
        flowables.append(Spacer(1, sheet.base * 0.6))
    return flowables


def matrix_votes(ctx: ReportContext, by_question: dict[str, dict[str, str]]) -> list[Flowable]:
    session = ctx.session
    flowables: list[Flowable] = []

    def show(_question: str, choice: str) -> str:
        return ctx.text(choice)

    for criterion in session.criteria:
        columns = [(cell_question(criterion.id, stage.id), ctx.text(stage.title)) for stage in session.stages]
        title = f"Matrix: {ctx.text(criterion.title)}"
        flowables.extend(
            vote_grid(
                ctx,
                title,
                "Votes: " + " ".join(clean(criterion.title).split()),
                columns,
                by_question,
                show,
                plain_numbers=True,
            )
        )
    return flowables


def scenario_votes(ctx: ReportContext, by_question: dict[str, dict[str, str]]) -> list[Flowable]:
    session = ctx.session
    answers = {scenario_question(s.id): s.answer for s in session.scenarios}
    columns = [
        (scenario_question(s.id), f"{index}. {ctx.text(s.title)}")
        for index, s in enumerate(session.scenarios, start=1)
        if by_question.get(scenario_question(s.id))
    ]

    def show(question: str, choice: str) -> str:
        mark = " <b>✓</b>" if answers.get(question) == choice else ""
        return ctx.text(term_name(session, choice)) + mark

    return vote_grid(
        ctx, "Which is it? (✓ marks the answer)", "Votes: which is it?", columns, by_question, show
    )


def readiness_votes(ctx: ReportContext, by_question: dict[str, dict[str, str]]) -> list[Flowable]:
    session = ctx.session
    columns = [(readiness_question(item.id), ctx.text(item.title)) for item in session.readiness_items]
    labels = readiness_rules.READINESS_SCALE

    def show(_question: str, choice: str) -> str:
        if choice.isdigit() and int(choice) < len(labels):
            return f"{esc(choice)} {esc(labels[int(choice)])}"
        return ctx.text(choice)

    return vote_grid(ctx, "Readiness conditions", "Votes: readiness", columns, by_question, show)


def stray_votes(ctx: ReportContext, stray: Sequence[Vote]) -> list[Flowable]:
    """Votes on questions the session no longer has (a removed row or story): listed, not lost."""
    sheet = ctx.sheet
    rows: list[list[Any]] = [["Question", "Participant", "Choice"]]
    for vote in stray:
        rows.append(
            [cell(ctx, vote.question), cell(ctx, ctx.person(vote.participant_id)), cell(ctx, vote.choice)]
        )
    third = ctx.width / 3
    return [
        h2(ctx, "Votes on questions since removed", "Votes: removed questions"),
        Paragraph(
            "These votes belong to rows, stages, stories or conditions that were later removed.", sheet.small
        ),
        table(ctx, rows, [third, third, third]),
    ]
