"""The command line, and the one place that wires the parts together.

`demo`, `export`, `import` and `check` need no display and never import Qt.
Every failure ends in one plain sentence on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .domain.errors import KnownError

if TYPE_CHECKING:
    from .domain.model import Session

COMMANDS = ("demo", "export", "import", "check", "compare", "combine", "follow-up")
EXIT_ERROR = 2
PLURALS = {
    "participant": "participants",
    "step": "steps",
    "term": "terms",
    "criterion": "criteria",
    "stage": "stages",
    "scenario": "scenarios",
    "readiness_item": "readiness items",
    "vote": "named votes",
    "tally": "counted tallies",
    "ballot_cast": "secret ballots handed in",
    "ballot_count": "ballot counts",
    "reveal": "revealed results",
    "card": "canvas cards",
    "action": "actions",
    "note": "notes",
    "action_review": "reviewed actions",
}


class UsageError(KnownError):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message[0].upper()}{message[1:]} (see coprod-desktop --help).")


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coprod-desktop",
        description="Run a co-production workshop. Without a command, opens the app.",
        epilog="Commands (no display needed): demo OUT.coprod | "
        "export FILE.coprod [--json OUT.json] [--pdf OUT.pdf] [--csv DIR] | "
        "import IN.json OUT.coprod | check FILE.coprod | "
        "compare BEFORE.coprod AFTER.coprod [--pdf OUT.pdf] [--json OUT.json] | "
        "combine FILE.coprod... [--pdf OUT.pdf] [--json OUT.json] | follow-up EARLIER.coprod OUT.coprod. "
        "Use 'coprod-desktop COMMAND --help' for more.",
    )
    parser.add_argument("file", nargs="?", help="a .coprod session file to open")
    parser.add_argument("--version", action="version", version=f"coprod-desktop {__version__}")
    parser.add_argument(
        "--quit-after-startup",
        action="store_true",
        help="exit as soon as the main window is shown and idle (for smoke tests and timing)",
    )
    parser.add_argument(
        "--phones",
        action="store_true",
        help="once FILE is open, let the room vote from its phones; prints 'Phones join at URL'",
    )
    parser.add_argument(
        "--bind",
        metavar="ADDRESS",
        help="with --phones: this laptop's address the phones reach (default: the likeliest one)",
    )
    parser.add_argument(
        "--port", type=int, metavar="N", help="with --phones: the port to listen on (default 8765)"
    )
    return parser


_PLAIN_FLAGS = ("--quit-after-startup", "--phones")


def _plain_gui_options(args: Sequence[str]) -> argparse.Namespace | None:
    """What _gui_parser().parse_args(args) gives for the plain ways the app is started (at
    most one FILE that does not start with "-", and --quit-after-startup or --phones each
    at most once); None for anything else, which argparse reads. Building the parser costs
    some 3 ms at every start (argparse looks up a translation of each of its messages)."""
    files = [arg for arg in args if arg not in _PLAIN_FLAGS]
    flags = [arg for arg in args if arg in _PLAIN_FLAGS]
    if len(files) > 1 or len(set(flags)) != len(flags) or any(arg.startswith("-") for arg in files):
        return None
    return argparse.Namespace(
        file=files[0] if files else None,
        quit_after_startup="--quit-after-startup" in flags,
        phones="--phones" in flags,
        bind=None,
        port=None,
    )


def _command_parser(command: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"coprod-desktop {command}")
    if command == "demo":
        parser.description = "Write the sample workshop, complete with votes, cards and actions."
        parser.add_argument("out", help="the .coprod file to write")
        parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    elif command == "export":
        parser.description = "Export a session. The session file is only read, never changed."
        parser.add_argument("file", help="the .coprod session file")
        parser.add_argument(
            "--json", metavar="OUT.json", help="write the whole session as JSON ('-' for stdout)"
        )
        parser.add_argument("--pdf", metavar="OUT.pdf", help="write the PDF summary for participants")
        parser.add_argument(
            "--paper",
            choices=("a4", "letter"),
            help="paper size of the PDF (default: from your locale: Letter in the Americas, else A4)",
        )
        parser.add_argument(
            "--anonymous", action="store_true", help="leave every participant's name out of the PDF and CSV"
        )
        parser.add_argument(
            "--facilitator",
            action="store_true",
            help="make the PDF the facilitator's report: every count and vote",
        )
        parser.add_argument("--large-print", action="store_true", help="make the PDF in large print")
        parser.add_argument(
            "--easy-read",
            action="store_true",
            help="make the Easy Read handout: short lines, large type, a symbol beside each result",
        )
        parser.add_argument(
            "--language",
            metavar="LANG",
            help="print the PDF in LANG (for example cy); default: the session's",
        )
        parser.add_argument(
            "--second-language", metavar="LANG", help="print the handout once more in LANG after the first"
        )
        parser.add_argument(
            "--csv", metavar="DIR", help="write the results as CSV files into DIR (made if missing)"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace output files that exist (never an open session)"
        )
    elif command == "import":
        parser.description = "Make a session file from a JSON export."
        parser.add_argument("json", help="the .json export to read")
        parser.add_argument("out", help="the .coprod file to write")
        parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    elif command == "check":
        parser.description = "Say whether a session file is sound, its version and what is in it."
        parser.add_argument("file", help="the .coprod session file")
    elif command == "compare":
        parser.description = (
            "Say what changed between two runs of one workshop. Both files are only read, never changed."
        )
        parser.add_argument("before", help="the earlier .coprod session")
        parser.add_argument("after", help="the later .coprod session")
        _result_outputs(parser)
    elif command == "combine":
        parser.description = (
            "Combine several groups' runs of one workshop into one picture, with counts only: "
            "no one is named. The files are only read, never changed."
        )
        parser.add_argument("files", nargs="+", metavar="FILE.coprod", help="the groups' .coprod sessions")
        _result_outputs(parser)
    elif command == "follow-up":
        parser.description = (
            "Start a follow-up of a session: the same workshop, no votes, and a review of its actions. "
            "The earlier file is only read."
        )
        parser.add_argument("earlier", help="the earlier .coprod session")
        parser.add_argument("out", help="the new .coprod file to write")
        parser.add_argument("--date", default="", help="the day of the follow-up, e.g. 2027-05-20")
        parser.add_argument("--no-people", action="store_true", help="start with no participants")
        parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    return parser


def _result_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pdf", metavar="OUT.pdf", help="write the report as a PDF")
    parser.add_argument("--json", metavar="OUT.json", help="write the results as JSON ('-' for stdout)")
    parser.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="paper size of the PDF (default: from your locale: Letter in the Americas, else A4)",
    )
    parser.add_argument(
        "--language",
        metavar="LANG",
        help="print the PDF in LANG (for example cy); default: the (first) session's",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            command = args[0]
            options = _command_parser(command).parse_args(args[1:])
            return _kept_code_run(command, options)
        options = _plain_gui_options(args) or _gui_parser().parse_args(args)
        return _run_gui(options)
    except KnownError as exc:
        print(f"coprod-desktop: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("coprod-desktop: stopped.", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        from .storage.atomic import plain_os_error

        where = f"{exc.filename}: " if exc.filename else ""
        reason = plain_os_error(exc)
        print(f"coprod-desktop: {where}{reason[0].upper()}{reason[1:]}.", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one sentence, never a traceback
        print(
            f"coprod-desktop: something went wrong inside the app ({type(exc).__name__}: {exc}); "
            "please report it.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _kept_code_run(command: str, options: argparse.Namespace) -> int:
    """Run a command with the methods @dataclass writes kept from an earlier run of a command
    (codecache.py): some 60 classes of the model and the report, a tenth of a command-line
    export. What had to be compiled is kept once the command has done its work."""
    from . import codecache

    if codecache.installed():  # main() called again in one process (tests): as it is
        return int(_run_command(command, options))
    codecache.install("keptcode-commands")
    try:
        result = int(_run_command(command, options))
        codecache.save()
    finally:
        codecache.uninstall()  # the classes made stay as made; later ones are made as usual
    return result


def _run_command(command: str, options: argparse.Namespace) -> int:
    if command == "demo":
        return _demo(Path(options.out), options.force)
    if command == "export":
        return _export(Path(options.file), options)
    if command == "import":
        return _import(Path(options.json), Path(options.out), options.force)
    if command == "compare":
        return _compare(Path(options.before), Path(options.after), options)
    if command == "combine":
        return _combine([Path(f) for f in options.files], options)
    if command == "follow-up":
        return _follow_up(Path(options.earlier), Path(options.out), options)
    return _check(Path(options.file))


def _refuse_existing(out: Path, force: bool, source: Path | None = None) -> None:
    """Refuse to write onto `source`, onto a session open in the app, or (without
    --force) onto anything that exists."""
    from .storage.lock import is_locked

    if source is not None and _same_file(out, source):
        raise UsageError(f"{out} is the file being read; choose another name for the output.")
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name for the output.")
    if out.exists() or out.is_symlink():
        if out.is_file() and is_locked(out):
            raise UsageError(
                f"{out} is a session open in coprod-desktop; close it there or choose another name "
                "(--force never replaces an open session)."
            )
        if not force:
            what = "a session file that already exists" if _is_session(out) else "a file that already exists"
            raise UsageError(f"{out} is {what}; choose another name, or add --force to replace it.")
    if not out.parent.is_dir():
        raise UsageError(f"The folder {out.parent} does not exist.")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or (one.exists() and other.exists() and one.samefile(other))
    except (OSError, RuntimeError):
        return False


def _is_session(path: Path) -> bool:
    from .storage.schema import APPLICATION_ID
    from .storage.sessionfile import read_header

    try:
        return path.is_file() and read_header(path).application_id == APPLICATION_ID
    except OSError:
        return False


def _demo(out: Path, force: bool) -> int:
    from .domain.sample import build_sample
    from .storage.sessionfile import SessionFile
    from .storage.templates import load_builtin_template

    _refuse_existing(out, force)
    with SessionFile.create(out, build_sample(load_builtin_template())) as written:
        session = written.load()
    print(f'Wrote the sample workshop "{session.info.title}" to {out}.')
    return 0


def _export(path: Path, options: argparse.Namespace) -> int:
    from .storage.atomic import atomic_write, plain_os_error
    from .storage.sessionfile import SessionFile

    json_out: str | None = options.json
    pdf_out: str | None = options.pdf
    csv_out: str | None = options.csv
    if not (json_out or pdf_out or csv_out):
        raise UsageError("Say what to export, for example --json OUT.json, --pdf OUT.pdf or --csv FOLDER.")
    if not pdf_out and (
        options.paper
        or options.facilitator
        or options.large_print
        or options.easy_read
        or options.language
        or options.second_language
    ):
        raise UsageError(
            "--paper, --facilitator, --large-print, --easy-read and the languages shape the PDF;"
            " add --pdf OUT.pdf."
        )
    from .domain.i18n import available, normalise

    for tag in (options.language, options.second_language):
        if tag and normalise(tag).split("-")[0] not in available():
            raise UsageError(
                f"There is no translation for {tag!r}; the languages are: {', '.join(available())}."
            )
    if json_out == "-" and (pdf_out or csv_out):
        raise UsageError("JSON to stdout ('--json -') cannot be combined with --pdf or --csv.")
    for out in (json_out, pdf_out):
        if out and out != "-":
            if _same_file(Path(out), path):
                raise UsageError("The export would replace the session file itself; choose another name.")
            _refuse_existing(Path(out), options.force, path)
    if csv_out:
        _refuse_csv_folder(Path(csv_out), path, options.force)
    with SessionFile.open(path, read_only=True) as source:
        session = source.load()
    if json_out:
        from .storage.interchange import session_to_json

        text = session_to_json(session)
        if json_out == "-":
            sys.stdout.write(text)
            return 0
        try:
            with atomic_write(Path(json_out)) as stream:
                stream.write(text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"Could not write {json_out}: {plain_os_error(exc)}.") from None
        print(f"Exported {path.name} to {json_out}.")
    if pdf_out:
        # reportlab loads here, only when a PDF is asked for.
        from .report.pdf import ReportOptions, build_pdf, default_paper

        report = ReportOptions(
            paper=options.paper or default_paper(),
            names=not options.anonymous,
            large_print=options.large_print,
            facilitator=options.facilitator,
            easy_read=options.easy_read,
            language=options.language,
            second_language=options.second_language,
        )
        result = build_pdf(session, pdf_out, report)
        kind = "facilitator report" if report.facilitator else "summary"
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        print(f"Wrote the {kind} of {path.name} to {pdf_out} ({pages}, {report.paper.upper()}).")
    if csv_out:
        from .report.csvexport import export_csv

        written = export_csv(session, csv_out, names=not options.anonymous)
        print(f"Wrote {len(written.rows)} CSV files for {path.name} into {csv_out}.")
    return 0


def _refuse_csv_folder(folder: Path, source: Path, force: bool) -> None:
    from .report.csvexport import CSV_FILES

    if _same_file(folder, source):
        raise UsageError("The CSV folder cannot be the session file itself; choose a folder.")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder; choose a folder for the CSV files.")
    for name in CSV_FILES:
        if (folder / name).exists():
            _refuse_existing(folder / name, force, source)


def _import(json_path: Path, out: Path, force: bool) -> int:
    from .storage.atomic import plain_os_error, read_user_text
    from .storage.interchange import session_from_json
    from .storage.sessionfile import SessionFile

    _refuse_existing(out, force, json_path)
    try:
        text = read_user_text(json_path)
    except UnicodeDecodeError:
        raise UsageError(f"{json_path.name} is not UTF-8 text, so it cannot be a JSON export.") from None
    except OSError as exc:
        raise UsageError(f"Could not read {json_path}: {plain_os_error(exc)}.") from None
    session = session_from_json(text, json_path.name)
    SessionFile.create(out, session).close()
    print(f"Imported {json_path.name} into {out}.")
    return 0


def _check(path: Path) -> int:
    from .storage.sessionfile import SessionFile

    with SessionFile.open(path, read_only=True) as source:
        session = source.load()
        version = source.version()
    counts = ", ".join(
        f"{count} {PLURALS.get(kind, kind) if count != 1 else kind.replace('_', ' ')}"
        for kind, count in session.summary().items()
    )
    print(f"{path.name} is a sound coprod-desktop session (file version {version}).")
    print(f"Title: {session.info.title}")
    if session.info.date:
        print(f"Date: {session.info.date}")
    print(f"Holds: {counts}.")
    return 0


def _read_sessions(paths: Sequence[Path]) -> list[Session]:
    from .storage.sessionfile import SessionFile

    found = []
    for path in paths:
        with SessionFile.open(path, read_only=True) as source:
            found.append(source.load())
    return found


def _check_outputs(inputs: Sequence[Path], options: argparse.Namespace) -> None:
    if not options.pdf and options.paper:
        raise UsageError("--paper shapes the PDF; add --pdf OUT.pdf.")
    if not options.pdf and getattr(options, "language", None):
        raise UsageError("--language is the language of the PDF; add --pdf OUT.pdf.")
    if options.json == "-" and options.pdf:
        raise UsageError("JSON to stdout ('--json -') cannot be combined with --pdf.")
    if options.pdf and options.json and Path(options.pdf).resolve() == Path(options.json).resolve():
        raise UsageError("--pdf and --json name the same file; give each its own name.")
    for out in (options.json, options.pdf):
        if out and out != "-" and any(Path(out).resolve() == path.resolve() for path in inputs):
            raise UsageError(f"{out} is one of the sessions being read; choose another name for the output.")
    for out in (options.json, options.pdf):
        if out and out != "-" and not Path(out).resolve().parent.is_dir():
            raise UsageError(f"The folder {Path(out).parent} does not exist.")


def _write_json(text: str, out: str) -> None:
    from .storage.atomic import atomic_write

    if out == "-":
        sys.stdout.write(text)
        return
    with atomic_write(Path(out)) as stream:
        stream.write(text.encode("utf-8"))


def _compare(before_path: Path, after_path: Path, options: argparse.Namespace) -> int:
    from .domain.compare import compare

    _check_outputs([before_path, after_path], options)
    before, after = _read_sessions([before_path, after_path])
    comparison = compare(before, after, names=(before_path.name, after_path.name))
    if options.json:
        from .report.changes_json import comparison_to_dict, to_json

        _write_json(to_json(comparison_to_dict(comparison, before_path.name, after_path.name)), options.json)
        if options.json == "-":
            return 0
        print(f"Wrote what changed from {before_path.name} to {after_path.name} to {options.json}.")
    if options.pdf:
        from .domain.i18n import using
        from .report.pdf import ReportOptions, build_changes_pdf, default_paper, report_language

        # The comparison's own sentences are written in the language they are made in.
        with using(report_language(after, ReportOptions(language=options.language))):
            in_language = compare(before, after, names=(before_path.name, after_path.name))
        result = build_changes_pdf(
            after, in_language, options.pdf, paper=options.paper or default_paper(), language=options.language
        )
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        print(f"Wrote the report of what changed to {options.pdf} ({pages}).")
    if not (options.json or options.pdf):
        whole = comparison.whole
        print(f"From {before_path.name} to {after_path.name}:")
        print(
            f"The whole matrix: {whole.mean.text} (votes {whole.mean.votes_before} then, "
            f"{whole.mean.votes_after} now)."
        )
        for line in comparison.stages:
            print(f"  {line.title}: {line.mean.text}")
        print(f"Between lived experience and staff: {whole.gap.text}.")
        print(f"Placement: {comparison.placement.text}.")
        for said in comparison.item_sentences:
            print(said)
    return 0


def _combine(paths: Sequence[Path], options: argparse.Namespace) -> int:
    from .domain.combine import combine

    if len({path.resolve() for path in paths}) != len(paths):
        raise UsageError("A session is named twice; give each group's file once.")
    _check_outputs(paths, options)
    from .storage.counts import read_counts

    groups = [read_counts(path) for path in paths]
    combined = combine(groups, names=[path.name for path in paths])
    if options.json:
        from .report.changes_json import combined_to_dict, to_json

        _write_json(to_json(combined_to_dict(combined)), options.json)
        if options.json == "-":
            return 0
        print(f"Wrote {len(paths)} groups combined to {options.json}.")
    if options.pdf:
        from .domain.i18n import using
        from .report.pdf import ReportOptions, build_combined_pdf, default_paper, report_language

        with using(report_language(combined.session, ReportOptions(language=options.language))):
            in_language = combine(groups, names=[path.name for path in paths])
        result = build_combined_pdf(
            in_language, options.pdf, paper=options.paper or default_paper(), language=options.language
        )
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        print(f"Wrote the combined report of {len(paths)} groups to {options.pdf} ({pages}).")
    if not (options.json or options.pdf):
        placement = combined.placement.name if combined.placement else "not placed"
        print(f"{len(paths)} groups together: {placement}; {combined.recommendation.headline}")
        for group in combined.groups:
            own = group.placement.name if group.placement else "not placed"
            print(f"  {group.name}: {own}")
        for note in combined.notes:
            print(note)
    return 0


def _follow_up(earlier_path: Path, out: Path, options: argparse.Namespace) -> int:
    from .domain.followup import start_follow_up
    from .storage.sessionfile import SessionFile

    _refuse_existing(out, options.force)
    if out.resolve() == earlier_path.resolve():
        raise UsageError("The follow-up would replace the earlier session; choose another name.")
    [earlier] = _read_sessions([earlier_path])
    follow_up = start_follow_up(earlier, keep_participants=not options.no_people, date=options.date.strip())
    SessionFile.create(out, follow_up).close()
    reviews = len(follow_up.action_reviews)
    print(
        f"Wrote a follow-up of {earlier_path.name} to {out}, "
        f"with {reviews} earlier action{'s' if reviews != 1 else ''} to review."
    )
    return 0


def prepare_start() -> None:
    """Before the screens are imported: the collector off, kept code in use, the ui package
    (quick enums, shiboken6) imported."""
    # Start-up makes objects that live as long as the app (modules, classes, widgets):
    # collecting them again and again while importing and building cost some 15 ms. The
    # collector is off from here; ui.shell.application.run turns it back on once idle.
    import gc

    gc.disable()
    # The methods @dataclass writes, and the support modules shiboken6 compiles from source
    # as the ui package imports it, compiled at an earlier start (codecache.py says how);
    # ui.shell.application saves what had to be compiled once the window is up.
    from . import codecache

    codecache.install()
    with codecache.compiled_kept():
        from . import ui  # noqa: F401 - imported for its set-up (ui/__init__.py)


def _run_gui(options: argparse.Namespace) -> int:
    phones: tuple[str, int] | None = None
    if options.phones:
        if not options.file:
            raise UsageError("--phones needs a session FILE to vote in (see coprod-desktop --help).")
        port = 8765 if options.port is None else options.port
        if not 0 <= port <= 65535:  # 0: any free port
            raise UsageError(f"--port {port} is not a port; use a number from 1024 to 65535.")
        phones = (options.bind or "", port)
    elif options.bind or options.port is not None:
        raise UsageError("--bind and --port go with --phones (see coprod-desktop --help).")
    prepare_start()
    from .ui.shell.application import run

    return run(
        Path(options.file) if options.file else None,
        quit_after_startup=options.quit_after_startup,
        phones=phones,
    )
