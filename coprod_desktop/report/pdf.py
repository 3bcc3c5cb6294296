"""The PDF summary of a workshop: the participants' handout and the facilitator's report.

    build_pdf(session, "summary.pdf", ReportOptions(paper="letter", names=False))

One pass of reportlab's Platypus lays the document out. "Page 3 of 9" needs the
total before it is known, so every footer draws a form (a PDF XObject) holding
the total, and the form is written once at the end; that keeps bookmarks on
their real pages, which a second layout pass or deferred pages would not.

The document is written to a temporary file beside the target that then
replaces it, so a crash or a full disk never leaves a half-written PDF. This
module does not import Qt; reportlab is imported here, so import this module
lazily (the app and the command line do).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.flowables import Flowable

from .. import __version__
from ..domain.errors import KnownError
from ..domain.model import Session
from ..storage.atomic import atomic_write, plain_os_error
from . import styles
from .fonts import BOLD, REGULAR, register_fonts
from .papers import LETTER_TERRITORIES, Paper, default_paper
from .sections import Heading, ReportContext, Sheet, build_story

__all__ = [
    "LETTER_TERRITORIES",
    "Paper",
    "ReportError",
    "ReportOptions",
    "ReportResult",
    "build_pdf",
    "default_paper",
    "render_pdf",
]

PAGE_SIZES: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}


@dataclass(frozen=True)
class ReportOptions:
    """What kind of PDF to make.

    `names=False` makes an anonymous report: no participant's name appears
    anywhere, and names typed into notes, cards and actions are replaced by the
    person's role. `facilitator=True` adds every count and, when names are on,
    every vote cast by name.
    """

    paper: Paper = field(default_factory=default_paper)
    names: bool = True
    large_print: bool = False
    facilitator: bool = False
    language: str = "en-GB"  # the report's own words are British English

    def __post_init__(self) -> None:
        if self.paper not in PAGE_SIZES:
            raise ValueError(f"paper must be 'a4' or 'letter', not {self.paper!r}")


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int


class ReportError(KnownError):
    """The PDF could not be written; the message says why in one sentence."""


Progress = Callable[[int], None]


def build_pdf(
    session: Session,
    out_path: str | os.PathLike[str],
    options: ReportOptions | None = None,
    *,
    progress: Progress | None = None,
) -> ReportResult:
    """Write the PDF for `session` to `out_path`, all or nothing.

    `progress`, if given, is called with each page number as the page is finished
    (from the calling thread). Raises ReportError, with a plain sentence, when
    the file cannot be written.
    """
    options = options or ReportOptions()
    target = Path(out_path)
    if not target.parent.is_dir():
        raise ReportError(f"The folder {target.parent} does not exist, so the PDF cannot be saved there.")
    try:
        with atomic_write(target) as stream:
            pages = _render(session, options, stream, progress)
    except PermissionError:
        raise ReportError(
            f"The PDF could not be saved: {target} cannot be written here (no permission)."
        ) from None
    except OSError as exc:
        raise ReportError(f"The PDF could not be saved to {target}: {plain_os_error(exc)}.") from None
    return ReportResult(target, pages)


def render_pdf(session: Session, options: ReportOptions | None = None) -> bytes:
    """The PDF for `session` as bytes, for tests and previews."""
    import io

    buffer = io.BytesIO()
    _render(session, options or ReportOptions(), buffer, None)
    return buffer.getvalue()


# --- the document -------------------------------------------------------------------------

PAGE_TOTAL_FORM = "coprodPageTotal"


class _ReportCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes the page total into the footer's form just before saving."""

    footer_font_size = 8.0
    finished_pages = 0  # set by the document after each page

    def save(self) -> None:
        self.beginForm(PAGE_TOTAL_FORM)
        self.setFont(REGULAR, self.footer_font_size)
        self.setFillColor(styles.MUTED_INK)
        self.drawString(0, 0, str(max(self.finished_pages, 1)))
        self.endForm()
        super().save()


class _ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """Page templates with header and footer, bookmarks for headings, and progress."""

    def __init__(self, stream: Any, context: ReportContext, progress: Progress | None, **kwargs: Any) -> None:
        super().__init__(stream, **kwargs)
        self.context = context
        self.progress = progress
        self._bookmarks = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, Heading) and flowable.outline_level is not None:
            self._bookmarks += 1
            key = f"section{self._bookmarks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=flowable.outline_level, closed=True)

    def afterPage(self) -> None:  # noqa: N802 - reportlab's name
        self.canv.finished_pages = self.page
        if self.progress is not None:
            self.progress(self.page)


def _render(session: Session, options: ReportOptions, stream: Any, progress: Progress | None) -> int:
    register_fonts()
    page_width, page_height = PAGE_SIZES[options.paper]
    margin = (14 if options.large_print else 18) * mm
    top = margin + (10 if options.large_print else 7) * mm  # room for the running header
    bottom = margin + (8 if options.large_print else 5) * mm  # and for the footer
    frame_width = page_width - 2 * margin
    frame_height = page_height - top - bottom
    sheet = Sheet(large_print=options.large_print)
    context = ReportContext(
        session=session,
        names=options.names,
        facilitator=options.facilitator,
        large_print=options.large_print,
        sheet=sheet,
        width=frame_width,
        height=frame_height,
    )
    info = session.info
    # Anonymous means anonymous everywhere: a name typed into the title goes too.
    title = " ".join(context.redact(info.title).split()) or "Untitled workshop"
    kind = "Facilitator report" if options.facilitator else "Workshop summary"
    document = _ReportDocument(
        stream,
        context,
        progress,
        pagesize=(page_width, page_height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=info.facilitator.strip() or "coprod-desktop",
        subject=f"{kind}: " + (info.purpose.strip() or "a co-production workshop"),
        creator=f"coprod-desktop {__version__}",
        keywords=["co-production", "workshop", kind.lower()],
        lang=options.language,
        initialFontName=REGULAR,  # else every page names Helvetica, which the report never uses
        initialFontSize=10,
    )
    frame = Frame(
        margin,
        bottom,
        frame_width,
        frame_height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    decorate = _Decorations(kind, title, options.large_print, margin, page_width, page_height)
    document.addPageTemplates(
        [
            PageTemplate(
                id="cover", frames=[frame], onPage=decorate.cover, pagesize=(page_width, page_height)
            ),
            PageTemplate(id="body", frames=[frame], onPage=decorate.body, pagesize=(page_width, page_height)),
        ]
    )
    story = build_story(context)

    class _Canvas(_ReportCanvas):
        footer_font_size = decorate.footer_size

    document.build(story, canvasmaker=_Canvas)
    return int(document.page)


@dataclass(frozen=True)
class _Decorations:
    kind: str
    title: str
    large_print: bool
    margin: float
    page_width: float
    page_height: float

    @property
    def footer_size(self) -> float:
        return 12.0 if self.large_print else 8.0

    def cover(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.setViewerPreference("DisplayDocTitle", "true")
        canvas.showOutline()
        self._footer(canvas, document)

    def body(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from .markup import clean

        size = self.footer_size
        canvas.saveState()
        canvas.setFillColor(styles.MUTED_INK)
        canvas.setStrokeColor(styles.RULE)
        y = self.page_height - self.margin - size
        right = self.page_width - self.margin
        kind_width = stringWidth(self.kind, BOLD, size)
        canvas.setFont(BOLD, size)
        canvas.drawRightString(right, y, self.kind)
        room = right - self.margin - kind_width - 6 * mm
        canvas.setFont(REGULAR, size)
        canvas.drawString(
            self.margin, y, _fit(" ".join(clean(self.title).split()), REGULAR, size, room, stringWidth)
        )
        canvas.setLineWidth(0.5)
        canvas.line(self.margin, y - size * 0.6, right, y - size * 0.6)
        canvas.restoreState()
        self._footer(canvas, document)

    def _footer(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size = self.footer_size
        canvas.saveState()
        canvas.setFillColor(styles.MUTED_INK)
        canvas.setFont(REGULAR, size)
        y = self.margin
        text = f"Page {document.page} of "
        canvas.drawString(self.margin, y, text)
        canvas.translate(self.margin + stringWidth(text, REGULAR, size), y)
        canvas.doForm(PAGE_TOTAL_FORM)
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float, measure: Callable[[str, str, float], float]) -> str:
    """`text` cut with an ellipsis to fit `width`; for the running header, drawn without markup."""
    if measure(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits, found by halving
        middle = (low + high + 1) // 2
        if measure(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"
