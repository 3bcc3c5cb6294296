"""The command line's PDF and CSV exports: options, combinations, plain errors, no display."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from coprod_desktop.app import EXIT_ERROR, main
from coprod_desktop.domain.sample import PEOPLE
from coprod_desktop.report.csvexport import CSV_FILES

from .test_cli import assert_one_plain_line, headless_env

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "sample.coprod"
    assert main(["demo", str(path)]) == 0
    return path


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdf_csv_and_json_in_one_go(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hashlib.sha256(demo_file.read_bytes()).hexdigest()
    pdf, folder, js = tmp_path / "out.pdf", tmp_path / "csv" / "deep", tmp_path / "out.json"
    code = main(["export", str(demo_file), "--pdf", str(pdf), "--csv", str(folder), "--json", str(js)])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert said.err == ""
    assert f"to {pdf}" in said.out
    assert f"Wrote {len(CSV_FILES)} CSV files" in said.out
    assert json.loads(js.read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES)
    text = text_of(pdf)
    for name, _role in PEOPLE:
        assert name in text
    assert hashlib.sha256(demo_file.read_bytes()).hexdigest() == before  # the session is only read


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_option(demo_file: Path, tmp_path: Path, paper: str, size: tuple[int, int]) -> None:
    out = tmp_path / "r.pdf"
    assert main(["export", str(demo_file), "--pdf", str(out), "--paper", paper]) == 0
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_anonymous_facilitator_large_print(demo_file: Path, tmp_path: Path) -> None:
    out, folder = tmp_path / "anon.pdf", tmp_path / "anon"
    args = ["export", str(demo_file), "--pdf", str(out), "--csv", str(folder)]
    assert main([*args, "--anonymous", "--facilitator", "--large-print", "--paper", "a4"]) == 0
    text = text_of(out)
    assert "Facilitator report" in text
    assert "Every count" in text
    everything = text + "".join((folder / name).read_text(encoding="utf-8-sig") for name in CSV_FILES)
    for name, _role in PEOPLE:
        assert name not in everything


def test_facilitator_report_names_the_voters(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.pdf"
    assert main(["export", str(demo_file), "--pdf", str(out), "--facilitator"]) == 0
    text = " ".join(text_of(out).split())
    votes = text[text.index("Every vote cast by name") :]
    for name, _role in PEOPLE:
        assert name in votes


def test_csv_counts_match_the_json(demo_file: Path, tmp_path: Path) -> None:
    folder, js = tmp_path / "c", tmp_path / "s.json"
    assert main(["export", str(demo_file), "--csv", str(folder), "--json", str(js)]) == 0
    document = json.loads(js.read_text(encoding="utf-8"))

    def rows(name: str) -> int:
        with (folder / name).open(encoding="utf-8-sig", newline="") as stream:
            return len(list(csv.DictReader(stream)))

    assert rows("actions.csv") == len(document["actions"])
    assert rows("canvas_cards.csv") == len(document["cards"])
    assert rows("readiness.csv") == len(document["readiness_items"])
    assert rows("votes.csv") == len(document["votes"]) + len(document["tallies"])


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ([], "Say what to export"),
        (["--facilitator"], "Say what to export"),
        (["--csv", "{dir}/c", "--paper", "a4"], "add --pdf OUT.pdf"),
        (["--pdf", "{dir}/missing/r.pdf"], "does not exist"),
        (["--pdf", "{dir}/r.pdf", "--paper", "a3"], "invalid choice"),
        (["--json", "-", "--pdf", "{dir}/r.pdf"], "cannot be combined"),
        (["--pdf", "{session}"], "replace the session file itself"),
    ],
)
def test_errors_are_one_plain_sentence(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], says: str
) -> None:
    args = [a.format(dir=tmp_path, session=demo_file) for a in extra]
    assert main(["export", str(demo_file), *args]) == EXIT_ERROR
    said = capsys.readouterr()
    assert_one_plain_line(said.err)
    assert says in said.err
    assert not (tmp_path / "r.pdf").exists()


def test_a_csv_folder_that_is_a_file_is_one_plain_sentence(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    assert main(["export", str(demo_file), "--csv", str(blocker)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert_one_plain_line(err)
    assert "is a file, not a folder" in err


def test_export_needs_no_display_and_never_loads_qt(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "headless.pdf"
    probe = (
        "import sys; from coprod_desktop.app import main; "
        f"code = main(['export', {str(demo_file)!r}, '--pdf', {str(out)!r}, '--csv', {str(tmp_path / 'c')!r}]); "
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))); "
        "print('QT=' + ','.join(qt)); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=headless_env(),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "QT=\n" in done.stdout
    assert out.read_bytes().startswith(b"%PDF-")


def test_reportlab_is_not_loaded_by_other_commands(demo_file: Path, tmp_path: Path) -> None:
    probe = (
        "import sys; from coprod_desktop.app import main; "
        f"code = main(['export', {str(demo_file)!r}, '--json', {str(tmp_path / 'x.json')!r}]); "
        "print('RL=' + str(any(m.startswith('reportlab') for m in sys.modules))); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=headless_env(),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "RL=False" in done.stdout
