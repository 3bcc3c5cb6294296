"""The PDF summary of a workshop: the participants' handout and the facilitator's report.

    build_pdf(session, "summary.pdf", ReportOptions(paper="letter", names=False))

One pass of reportlab's Platypus lays the document out. "Page 3 of 9" needs the
total before it is known, so every footer leaves a mark in its page where the
total goes, and the total is written there when the document is saved, in the
footer's own line (a reader's text extraction gives "Page 3 of 9" as one line);
that keeps bookmarks on their real pages, which a second layout pass or deferred
pages would not.

The document is written to a temporary file beside the target that then
replaces it, so a crash or a full disk never leaves a half-written PDF. This
module does not import Qt; reportlab is imported here, so import this module
lazily (the app and the command line do).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import rlsetup  # noqa: F401 - first: it sets reportlab up before reportlab loads

# isort: split

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import Flowable

from .. import __version__
from ..domain.errors import KnownError
from ..domain.i18n import DEFAULT, N_, _, current, normalise, right_to_left, using
from ..domain.model import Session
from ..storage.atomic import atomic_write, plain_os_error
from . import styles
from .fonts import BOLD, REGULAR, register_fonts
from .papers import LETTER_TERRITORIES, Paper, default_paper
from .sections import Heading, ReportContext, Sheet, build_story
from .sections.easyread import easy_read_story

if TYPE_CHECKING:  # a summary needs neither; they load with the reports that do
    from ..domain.combine import Combined
    from ..domain.compare import Comparison

__all__ = [
    "LETTER_TERRITORIES",
    "build_changes_pdf",
    "build_combined_pdf",
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
    # The Easy Read handout (report/sections/easyread.py): short lines, large type, symbols.
    easy_read: bool = False
    # The language of the report's own words and of the PDF's /Lang: None is the
    # session's workshop language (British English for a session that has none).
    language: str | None = None
    # A second language: the handout is printed once more in it, after the first.
    second_language: str | None = None

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
    earlier: Session | None = None,
) -> ReportResult:
    """Write the PDF for `session` to `out_path`, all or nothing.

    `progress`, if given, is called with each page number as the page is finished
    (from the calling thread). With `earlier` (the run a follow-up follows), the
    handout opens with "What changed since DATE". Raises ReportError, with a plain
    sentence, when the file cannot be written.
    """
    options = options or ReportOptions()
    if earlier is not None:
        from ..domain.compare import compare

        compare(earlier, session)  # two workshops that are not one are refused before any writing

        def story(context: ReportContext) -> list[Flowable]:
            from .sections.changes import changes_section

            # Compared here, in the report's language: the comparison's sentences are its own.
            comparison = compare(earlier, session)
            return build_story(context, [lambda ctx: changes_section(ctx, comparison)])

        return _write(Path(out_path), lambda stream: _render(session, options, stream, progress, story=story))
    target = Path(out_path)
    if not target.parent.is_dir():
        raise ReportError(_no_folder(target))
    try:
        with atomic_write(target) as stream:
            pages = _render(session, options, stream, progress)
    except PermissionError:
        raise ReportError(_no_permission(target)) from None
    except OSError as exc:
        raise ReportError(
            _("The PDF could not be saved to {file}: {reason}.").format(
                file=target, reason=plain_os_error(exc)
            )
        ) from None
    return ReportResult(target, pages)


StoryMaker = Callable[[ReportContext], list[Flowable]]


def _no_folder(target: Path) -> str:
    folder = target.parent
    return _("The folder {folder} does not exist, so the PDF cannot be saved there.").format(folder=folder)


def _no_permission(target: Path) -> str:
    return _("The PDF could not be saved: {file} cannot be written here (no permission).").format(file=target)


def _write(target: Path, write: Callable[[Any], int]) -> ReportResult:
    if not target.parent.is_dir():
        raise ReportError(_no_folder(target))
    try:
        with atomic_write(target) as stream:
            pages = write(stream)
    except PermissionError:
        raise ReportError(_no_permission(target)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReportError(
            # Translators: {reason} is the system's own words for what went wrong.
            _("The PDF could not be saved to {file} ({reason}).").format(file=target, reason=reason)
        ) from None
    return ReportResult(target, pages)


def changes_story(comparison: Comparison) -> StoryMaker:
    """The story of a "what changed" report: a short cover, then the changes."""

    def story(context: ReportContext) -> list[Flowable]:
        from reportlab.platypus import NextPageTemplate, PageBreak

        from .sections.changes import changes_cover, changes_section

        body = changes_section(context, comparison)[1:]  # the cover ended its page
        return [*changes_cover(context, comparison), NextPageTemplate("body"), PageBreak(), *body]

    return story


def build_changes_pdf(
    after: Session,
    comparison: Comparison,
    out_path: str | os.PathLike[str],
    *,
    paper: Paper | None = None,
    language: str | None = None,
) -> ReportResult:
    """What changed from an earlier run to `after`, on its own: a cover and the change pages.
    Nobody is named: the report shows results only. `language` as `ReportOptions.language`;
    the comparison's own sentences are in the language it was made in (`i18n.using`)."""
    from .sections.changes import REPORT_KIND

    options = ReportOptions(paper=paper or default_paper(), names=False, language=language)
    return _write(
        Path(out_path),
        lambda stream: _render(
            after, options, stream, None, kind=REPORT_KIND, story=changes_story(comparison)
        ),
    )


def build_combined_pdf(
    combined: Combined,
    out_path: str | os.PathLike[str],
    *,
    paper: Paper | None = None,
    language: str | None = None,
) -> ReportResult:
    """The combined report of several groups (see `sections.combined`)."""
    from .sections.combined import REPORT_KIND, combined_story

    options = ReportOptions(paper=paper or default_paper(), names=False, language=language)
    return _write(
        Path(out_path),
        lambda stream: _render(
            combined.session,
            options,
            stream,
            None,
            kind=REPORT_KIND,
            story=lambda context: combined_story(context, combined),
        ),
    )


def render_pdf(session: Session, options: ReportOptions | None = None) -> bytes:
    """The PDF for `session` as bytes, for tests and previews."""
    import io

    buffer = io.BytesIO()
    _render(session, options or ReportOptions(), buffer, None)
    return buffer.getvalue()


# --- the document -------------------------------------------------------------------------

class _ReportCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes the page total into each page's footer just before saving.

    A page's footer is drawn as the page begins, before the total is known: it leaves a
    comment in the page's content where the total goes (`total_here`), and `save` replaces
    it with the total drawn there, in the footer's colour, font and size. The pages' content
    is still plain text until the document is written, so nothing else moves. (A form drawn
    on every page, as before, held the same total; but a reader extracting the text takes a
    form as a block of its own, and read "Page 3 of" and "9" as two lines.)"""

    footer_font_size = 8.0
    finished_pages = 0  # set by the document after each page
    _code: list[str]  # reportlab's: the operators of the page being drawn

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Every page starts in our own embedded font: reportlab's default, a Helvetica it does
        # not embed, was otherwise named on each page although no text was drawn in it.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
        super().__init__(*args, **kwargs)
        self._totals: list[tuple[int, str, float, float, bool]] = []

    def total_here(self, x: float, y: float, *, from_right: bool = False) -> None:
        """Where this page's total goes: from (x, y), or ending there when `from_right`."""
        index = len(self._doc.Pages.pages)  # this page's, once it is finished
        mark = f"%coprod-page-total {index}"  # a comment: a PDF reader skips it
        self._code.append(mark)
        self._totals.append((index, mark, x, y, from_right))

    def save(self) -> None:
        total = str(max(self.finished_pages, 1))
        pages = self._doc.Pages.pages
        page_code = self._code
        try:
            for index, mark, x, y, from_right in self._totals:
                self._code = []
                self.setFont(REGULAR, self.footer_font_size)
                if from_right:
                    x -= stringWidth(total, REGULAR, self.footer_font_size)
                # Moved along its line, never down to the next (textOut, not textLine): a reader
                # then takes it as the rest of the footer's line.
                line = self.beginText(x, y)
                line.textOut(total)
                page = pages[index]
                page.stream = page.stream.replace(mark, line.getCode(), 1)
        finally:
            self._code = page_code
        super().save()


class _NextPart(ActionFlowable):  # type: ignore[misc]
    """From the next page on, another part of the handout (its second language): its page
    furniture and its language, taken up as that page begins, like reportlab's
    NextPageTemplate, so the page this stands on keeps its own."""

    locChanger = 1  # a change of page follows, as after NextPageTemplate

    def __init__(self, decorations: _Decorations) -> None:
        super().__init__(("nextPart", decorations))


class _ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """Page templates with header and footer, bookmarks for headings, and progress.

    The header and footer are drawn by the `decorations` of the part the page belongs to: a
    handout printed in two languages has two parts, each with its own words and direction
    (`_NextPart` changes them from the page on which the second part begins). The part's
    language is the current one (`i18n.using`) while its pages are laid out and drawn too:
    a flowable that builds what it draws only then (a long table, `ChunkedTable`, made a page
    at a time, mirrored or not by the language) is in the language its section was written in."""

    def __init__(
        self,
        stream: Any,
        context: ReportContext,
        progress: Progress | None,
        decorations: _Decorations,
        **kwargs: Any,
    ) -> None:
        super().__init__(stream, **kwargs)
        self.context = context
        self.progress = progress
        self.decorations = decorations
        self._next_decorations: _Decorations | None = None
        self._languages = contextlib.ExitStack()  # the languages of the parts after the first
        self._bookmarks = 0

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:
        with self._languages:  # each part's language lasts until the next, the last until here
            super().build(flowables, **kwargs)

    def handle_nextPart(self, decorations: _Decorations) -> None:  # noqa: N802 - as reportlab's handle_*
        self._next_decorations = decorations

    def handle_pageBegin(self) -> None:  # noqa: N802 - reportlab's name
        if self._next_decorations is not None:  # before the page's own header and footer are drawn
            self.decorations, self._next_decorations = self._next_decorations, None
            self._languages.enter_context(using(self.decorations.language))
        super().handle_pageBegin()

    def on_cover(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        self.decorations.cover(canvas, document)

    def on_body(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        self.decorations.body(canvas, document)

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


# A language tag as BCP 47 writes one ("cy", "en-GB", "zh-Hant-TW"), or a POSIX locale name.
_TAG = re.compile(r"[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,6}([.@][A-Za-z0-9_-]{1,20})?")


def report_language(session: Session, options: ReportOptions) -> str:
    """The language the report is written in: the options', else the session's.

    A session's stored language that is not a language tag (a hostile file: thousands of
    characters, a path) prints in the default language; it was once looked up as a folder
    name, and the report failed with "the name is too long", blaming the PDF's own name."""
    stored = getattr(session.info, "language", "") or ""
    if not _TAG.fullmatch(stored):
        stored = ""
    return normalise(options.language or stored or DEFAULT)


def _render(
    session: Session,
    options: ReportOptions,
    stream: Any,
    progress: Progress | None,
    *,
    kind: str | None = None,
    story: StoryMaker | None = None,
) -> int:
    with using(report_language(session, options)):
        return _render_in_language(session, options, stream, progress, kind=kind, story=story)


def _render_in_language(
    session: Session,
    options: ReportOptions,
    stream: Any,
    progress: Progress | None,
    *,
    kind: str | None = None,
    story: StoryMaker | None = None,
) -> int:
    register_fonts()
    if options.easy_read:
        options = replace(options, large_print=True, facilitator=False)
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
    if kind is None:
        kind = N_("Facilitator report") if options.facilitator else N_("Workshop summary")
        if options.easy_read:
            kind = N_("Easy Read summary")
    kind_id = kind

    def decorations(context: ReportContext) -> _Decorations:
        """The running header and footer of a part of the handout, in the current language."""
        # Anonymous means anonymous everywhere: a name typed into the title goes too.
        typed_title = " ".join(context.redact(info.title).split())
        return _Decorations(
            _(kind_id),
            typed_title or _("Untitled workshop"),
            options.large_print,
            margin,
            page_width,
            page_height,
            right_to_left(),
            current(),
        )

    first = decorations(context)
    title, kind = first.title, first.kind
    document = _ReportDocument(
        stream,
        context,
        progress,
        first,
        pagesize=(page_width, page_height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=info.facilitator.strip() or "coprod-desktop",
        subject=_("{kind}: {purpose}").format(
            kind=kind, purpose=info.purpose.strip() or _("a co-production workshop")
        ),
        creator=f"coprod-desktop {__version__}",
        keywords=[_("co-production"), _("workshop"), kind.lower()],
        lang=current(),
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
    document.addPageTemplates(
        [
            PageTemplate(
                id="cover", frames=[frame], onPage=document.on_cover, pagesize=(page_width, page_height)
            ),
            PageTemplate(
                id="body", frames=[frame], onPage=document.on_body, pagesize=(page_width, page_height)
            ),
        ]
    )
    if story is not None:
        make_story: StoryMaker = story
    else:
        make_story = easy_read_story if options.easy_read else build_story
    pages = make_story(context)
    second = normalise(options.second_language) if options.second_language else None
    if second is not None and second.split("-")[0] != current().split("-")[0]:
        # The same handout once more in the second language, from a new cover page, whose
        # header and footer are in that language and its direction too. Its pages are numbered
        # on from the first part's, out of the whole document's total: the document is printed
        # and handed out as one, and "Page 14 of 24" is page 14 of the PDF and of the stack.
        with using(second):
            # Its own context: what it made in the first part's language (the roles that stand
            # for names in an anonymous handout) is made again in this one.
            again = replace(context)
            second_part = make_story(again)
            turn = [_NextPart(decorations(again)), NextPageTemplate("cover"), PageBreak()]
            pages = [*pages, *turn, *second_part]

    class _Canvas(_ReportCanvas):
        footer_font_size = first.footer_size

    document.build(pages, canvasmaker=_Canvas)
    return int(document.page)


@dataclass(frozen=True)
class _Decorations:
    kind: str
    title: str
    large_print: bool
    margin: float
    page_width: float
    page_height: float
    rtl: bool = False  # the part's language is written right to left: header and footer mirror
    language: str = DEFAULT  # the part's language: of the footer's words, and how lines are laid out

    @property
    def footer_size(self) -> float:
        return 12.0 if self.large_print else 8.0

    def cover(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.setViewerPreference("DisplayDocTitle", "true")
        canvas.showOutline()
        with using(self.language):
            self._footer(canvas, document)

    def body(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        # Drawn while the document is built, which is in the first part's language: the lines'
        # shaping and order (report/shaping.py) and the footer's words follow the current one.
        with using(self.language):
            self._header(canvas)
            self._footer(canvas, document)

    def _header(self, canvas: Canvas) -> None:
        from .markup import clean
        from .shaping import draw_text, text_width

        size = self.footer_size
        canvas.saveState()
        canvas.setFillColor(styles.MUTED_INK)
        canvas.setStrokeColor(styles.RULE)
        y = self.page_height - self.margin - size
        right = self.page_width - self.margin
        kind_width = text_width(self.kind, BOLD, size)
        draw_text(canvas, self.margin if self.rtl else right, y, self.kind, BOLD, size, right=not self.rtl)
        room = right - self.margin - kind_width - 6 * mm
        # The title may be in any script: shaped, ordered and in its own font, like the body.
        draw_text(
            canvas,
            right if self.rtl else self.margin,
            y,
            _fit(" ".join(clean(self.title[: _FIT_MOST * 4]).split()), REGULAR, size, room, text_width),
            REGULAR,
            size,
            right=self.rtl,
        )
        canvas.setLineWidth(0.5)
        canvas.line(self.margin, y - size * 0.6, right, y - size * 0.6)
        canvas.restoreState()

    def _footer(self, canvas: _ReportCanvas, document: BaseDocTemplate) -> None:
        size = self.footer_size
        canvas.saveState()
        canvas.setFillColor(styles.MUTED_INK)
        canvas.setFont(REGULAR, size)
        y = self.margin
        # Translators: the page total follows this text, drawn once the total is known.
        text = _("Page {page} of ").format(page=document.page)
        if self.rtl:
            from .shaping import draw_text, text_width

            # Read from the right: "Page 3 of" at the right margin, the total to its left. The
            # total is drawn first, so the line's text comes in the order it stands on the line,
            # from the left, as in every other line read from the right.
            right = self.page_width - self.margin
            canvas.total_here(right - text_width(text, REGULAR, size), y, from_right=True)
            draw_text(canvas, right, y, text.strip(), REGULAR, size, right=True)
        else:
            line = canvas.beginText(self.margin, y)
            line.textOut(text)  # as drawString draws it, less its move to a next line
            canvas.drawText(line)
            canvas.total_here(self.margin + stringWidth(text, REGULAR, size), y)
        canvas.restoreState()


_FIT_MOST = 400


def _fit(text: str, font: str, size: float, width: float, measure: Callable[[str, str, float], float]) -> str:
    """`text` cut with an ellipsis to fit `width`; for the running header, drawn without markup."""
    # No running header holds more than a few hundred characters: measuring the rest of a
    # long title on every page would make the PDF's cost grow with the title times pages.
    text = text[:_FIT_MOST] if len(text) > _FIT_MOST else text
    if measure(text, font, size) <= width and len(text) < _FIT_MOST:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits, found by halving
        middle = (low + high + 1) // 2
        if measure(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"
