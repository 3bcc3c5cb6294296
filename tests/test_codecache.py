"""Kept code (coprod_desktop/codecache.py): the same methods and modules as compiling them afresh."""

from __future__ import annotations

import ast
import builtins
import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

from coprod_desktop import codecache

REPO = Path(__file__).resolve().parents[1]
CHECKED_PYTHON = (3, 11, 7)
METHODS = (
    "__init__",
    "__repr__",
    "__eq__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__hash__",
    "__setattr__",
    "__delattr__",
)

pytestmark = pytest.mark.skipif(
    sys.version_info[:3] != CHECKED_PYTHON, reason=f"codecache copies CPython {CHECKED_PYTHON}'s dataclasses"
)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """codecache in use with its file in tmp_path, bytecode writing on; the original after."""
    path = tmp_path / "pycache" / "dataclasses.bin"
    monkeypatch.setattr(codecache, "cache_file", lambda: path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    codecache.uninstall()
    yield path
    codecache.uninstall()


def make_classes() -> list[type]:
    """Dataclasses with most of what @dataclass writes: frozen, order, hash, defaults,
    factories, keyword-only fields, InitVar, ClassVar, __post_init__, slots."""

    @dataclass(frozen=True)
    class Frozen:
        name: str
        count: int = 0
        tags: tuple[str, ...] = ()

    @dataclass(order=True, unsafe_hash=True)
    class Ordered:
        rank: int
        label: str = field(default="x", compare=False)
        items: list[int] = field(default_factory=list, repr=False, hash=False)

    @dataclass(kw_only=True, slots=True)
    class Keywords:
        first: str
        second: float = 1.5

    @dataclass
    class Posted:
        KIND: ClassVar[str] = "posted"
        base: int
        scale: InitVar[int] = 2
        total: int = field(init=False, default=0)

        def __post_init__(self, scale: int) -> None:
            self.total = self.base * scale

    @dataclass(frozen=True, eq=False, repr=False)
    class Bare:
        value: Any = None

    return [Frozen, Ordered, Keywords, Posted, Bare]


def methods_of(classes: list[type]) -> list[tuple[str, str, Any]]:
    """What can be seen of each generated method: its code, name, defaults, annotations."""
    found = []
    for cls in classes:
        for name in METHODS:
            method = cls.__dict__.get(name)
            if method is None or not hasattr(method, "__code__"):
                found.append((cls.__name__, name, repr(method)))
                continue
            found.append(
                (
                    cls.__name__,
                    name,
                    (
                        method.__code__,
                        method.__qualname__,
                        method.__defaults__,
                        repr(method.__kwdefaults__),
                        repr(method.__annotations__),
                        method.__globals__ is sys.modules[__name__].__dict__,
                        [type(cell.cell_contents).__name__ for cell in method.__closure__ or ()],
                    ),
                )
            )
    return found


def behaviour(classes: list[type]) -> list[Any]:
    frozen, ordered, keywords, posted, bare = classes
    one = frozen("a", 2)
    seen: list[Any] = [repr(one), one == frozen("a", 2), hash(one) == hash(frozen("a", 2))]
    try:
        one.count = 3  # type: ignore[misc]
    except dataclasses.FrozenInstanceError as exc:
        seen.append(str(exc))
    seen += [ordered(1) < ordered(2), repr(ordered(3, "y")), hash(ordered(1, "a")) == hash(ordered(1, "b"))]
    seen += [
        repr(keywords(first="f")),
        posted(4).total,
        posted(4, 3).total,
        bare(5).value,
        bare(1) == bare(1),
    ]
    return seen


def test_the_methods_are_the_same_code_made_kept_and_afresh(kept: Path) -> None:
    plain = make_classes()
    assert codecache.install()
    compiled_here = make_classes()  # none kept yet: compiled by codecache
    assert codecache.save()
    codecache.uninstall()
    assert codecache.install()
    from_file = make_classes()  # all from the file
    assert codecache._compiled == 0
    assert methods_of(compiled_here) == methods_of(plain)
    assert methods_of(from_file) == methods_of(plain)
    assert behaviour(from_file) == behaviour(plain)


def test_what_was_used_is_kept_and_read_back(kept: Path) -> None:
    assert codecache.install()
    make_classes()
    used = dict(codecache._used)
    assert codecache._compiled == len(used) > 10
    assert codecache.save()
    assert kept.read_bytes().startswith(codecache.FORMAT)
    assert not codecache.save()  # nothing compiled since: nothing written
    codecache.uninstall()
    assert codecache.install()
    assert codecache._table == used  # code objects compare by their contents


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a cache at all",
        codecache.FORMAT,  # the header only, of another Python
        b"header" + b"\x00" * 100,
    ],
)
def test_a_file_that_is_not_ours_or_damaged_is_ignored(kept: Path, content: bytes) -> None:
    kept.parent.mkdir(parents=True)
    kept.write_bytes(content)
    assert codecache.install()
    assert codecache._table == {}
    assert behaviour(make_classes()) == behaviour(make_classes())
    assert codecache.save()  # replaced by a sound one
    assert kept.read_bytes().startswith(codecache._header())


def test_a_damaged_table_after_a_good_header_is_ignored(kept: Path) -> None:
    kept.parent.mkdir(parents=True)
    kept.write_bytes(codecache._header() + b"\xff\x00garbage")
    assert codecache.install()
    assert codecache._table == {}
    assert codecache.install()  # already in use: still fine


def test_nothing_written_where_bytecode_is_not(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert codecache.install()
    make_classes()
    assert not codecache.save()
    assert not kept.exists()


def test_a_folder_that_cannot_be_written_is_no_error(kept: Path) -> None:
    kept.parent.parent.mkdir(parents=True, exist_ok=True)
    kept.parent.write_text("a file where the folder would be")
    assert codecache.install()
    make_classes()
    assert not codecache.save()


def test_a_bundled_app_keeps_its_table_in_the_users_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle's modules live in an archive and it writes no bytecode: its table goes to the
    cache folder (beside the fonts'), and is written although bytecode is not."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    codecache.uninstall()
    try:
        path = codecache.cache_file()
        assert path is not None
        assert path.parent == tmp_path / "cache" / "coprod-desktop" / "code"
        assert codecache.install()
        make_classes()
        assert codecache.save()
        assert codecache._read(path)
    finally:
        codecache.uninstall()


def test_other_dataclass_code_keeps_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    codecache.uninstall()
    original = dataclasses._create_fn  # type: ignore[attr-defined]
    monkeypatch.setattr(codecache, "_CHECKED_AGAINST", codecache.fingerprint() ^ 1)
    assert not codecache.install()
    assert dataclasses._create_fn is original  # type: ignore[attr-defined]


def test_the_app_keeps_its_code_at_the_first_start_and_uses_it_at_the_next(tmp_path: Path) -> None:
    """Two starts with a session: the first writes the file (under its own pycache prefix),
    the second finds everything in it and writes nothing."""
    sample = tmp_path / "sample.coprod"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(REPO),
        PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        HOME=str(tmp_path),
    )
    command = [sys.executable, "-m", "coprod_desktop"]
    subprocess.run([*command, "demo", str(sample)], env=env, cwd=tmp_path, check=True, capture_output=True)
    kept = list((tmp_path / "pycache").rglob("keptcode.*.bin"))
    assert not kept  # a command keeps its own table, not the window's
    assert len(list((tmp_path / "pycache").rglob("keptcode-commands.*.bin"))) == 1
    probe = (
        "import os, sys\n"
        "from coprod_desktop import codecache\n"
        "real_exit = os._exit\n"
        "def leave(status):\n"
        "    print(f'TABLE={len(codecache._table)} COMPILED={codecache._compiled}', flush=True)\n"
        "    real_exit(status)\n"
        "os._exit = leave\n"
        "from coprod_desktop.app import main\n"
        "main([sys.argv[1], '--quit-after-startup'])\n"
    )
    seen = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", probe, str(sample)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        seen.append(next(line for line in done.stdout.splitlines() if line.startswith("TABLE=")))
        kept = list((tmp_path / "pycache").rglob("keptcode.*.bin"))
        assert len(kept) == 1
    first, second = seen
    assert first == "TABLE=0 COMPILED=0"  # all compiled, then saved (the count starts again)
    table = int(second.split()[0].removeprefix("TABLE="))
    assert table > 100
    assert second == f"TABLE={table} COMPILED=0"
    # shiboken6's support modules are among what is kept, each the code compile() makes of it.
    [path] = kept
    saved = codecache._read(path)
    support = {key: code for key, code in saved.items() if key[1].startswith("shibokensupport/")}
    assert "shibokensupport/signature/loader.py" in {filename for _, filename, _ in support}
    for (source, filename, flags), code in support.items():
        assert code == compile(source, filename, "exec", flags, dont_inherit=True)


def test_a_command_keeps_its_own_table_and_uses_it_at_the_next_run(tmp_path: Path) -> None:
    """`coprod-desktop export` twice: the first run compiles the model's and the report's
    methods and keeps them in the commands' file; the second compiles none, and its PDF is
    the same file."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(REPO), PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"), HOME=str(tmp_path))
    env["RL_invariant"] = "1"  # reportlab leaves out the time and a random file id
    sample = tmp_path / "sample.coprod"
    probe = (
        "import sys\n"
        "from coprod_desktop import codecache\n"
        "real_save = codecache.save\n"
        "def save():\n"
        "    t, u, c = len(codecache._table), len(codecache._used), codecache._compiled\n"
        "    print(f'TABLE={t} USED={u} COMPILED={c} SAVED={real_save()}')\n"
        "codecache.save = save\n"
        "from coprod_desktop.app import main\n"
        "status = main(sys.argv[1:])\n"
        "assert not codecache.installed()  # the original is back once the command is done\n"
        "sys.exit(status)\n"
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return next(line for line in done.stdout.splitlines() if line.startswith("TABLE="))

    run("demo", str(sample))
    [path] = (tmp_path / "pycache").rglob("keptcode-commands.*.bin")
    first = run("export", str(sample), "--pdf", str(tmp_path / "one.pdf"))
    second = run("export", str(sample), "--pdf", str(tmp_path / "two.pdf"))
    used = int(second.split()[1].removeprefix("USED="))
    assert used > 100  # the model's and the report's data classes' methods
    compiled = int(first.split()[2].removeprefix("COMPILED="))
    assert compiled > 0  # the demo's table lacked the report's classes
    assert first.endswith("SAVED=True")
    assert second == f"TABLE={used} USED={used} COMPILED=0 SAVED=False"  # all kept, none compiled
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    assert not list((tmp_path / "pycache").rglob("keptcode.*.bin"))  # the window's is not touched
    assert len(codecache._read(path)) == used


# --- compile() inside compiled_kept() --------------------------------------------------------

CALLER = """
{future}
def call(*args, **kwargs):
    return compile(*args, **kwargs)
"""
MODULE = "def f(x: int) -> str:\n    return str(x)\n"


def caller(future: str = "") -> Any:
    """A function calling compile() from a module with `future` (an import of __future__)."""
    namespace: dict[str, Any] = {}
    exec(builtins.compile(CALLER.format(future=future), "<caller>", "exec", dont_inherit=True), namespace)
    return namespace["call"]


@pytest.mark.parametrize(
    "future", ["", "from __future__ import annotations", "from __future__ import generator_stop"]
)
@pytest.mark.parametrize("source", [MODULE, MODULE.encode()])
def test_compile_in_the_block_makes_the_same_code_inheriting_the_callers_future(
    kept: Path, future: str, source: str | bytes
) -> None:
    call = caller(future)
    plain = call(source, "support/module.py", "exec")
    with codecache.compiled_kept():
        compiled_here = call(source, "support/module.py", "exec")
    assert codecache._compiled == 1
    assert codecache.save()
    codecache.uninstall()
    with codecache.compiled_kept():
        from_file = call(source, "support/module.py", "exec")
    assert codecache._compiled == 0
    assert compiled_here == plain
    assert from_file == plain
    assert from_file.co_filename == "support/module.py"
    made: dict[str, Any] = {}
    exec(from_file, made)
    annotations = {"x": "int", "return": "str"} if "annotations" in future else {"x": int, "return": str}
    assert made["f"].__annotations__ == annotations


def test_the_same_text_with_other_flags_is_other_code(kept: Path) -> None:
    with codecache.compiled_kept():
        one = caller()(MODULE, "m.py", "exec")
        other = caller("from __future__ import annotations")(MODULE, "m.py", "exec")
        given = caller()(MODULE, "m.py", "exec", __import__("__future__").annotations.compiler_flag)
    assert one != other
    assert given == other
    assert codecache._compiled == 2


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("1 + 1", "<e>", "eval"), {}),
        (("x = 1", "<s>", "single"), {}),
        ((MODULE, "m.py", "exec", ast.PyCF_ONLY_AST), {}),
        ((MODULE, "m.py", "exec"), {"dont_inherit": True}),  # as importlib compiles a module
        ((MODULE, "m.py", "exec"), {"optimize": 2}),
        ((ast.parse(MODULE), "m.py", "exec"), {}),
        ((MODULE, Path("m.py"), "exec"), {}),
    ],
)
def test_other_calls_go_to_compile_itself(kept: Path, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    call = caller("from __future__ import annotations")
    plain = call(*args, **kwargs)
    with codecache.compiled_kept():
        inside = call(*args, **kwargs)
    assert codecache._used == {}
    if isinstance(plain, ast.AST):
        assert ast.dump(inside) == ast.dump(plain)
    else:
        assert inside == plain


def test_compile_refuses_in_the_block_what_it_refuses(kept: Path) -> None:
    with codecache.compiled_kept(), pytest.raises(SyntaxError):
        caller()("def (", "bad.py", "exec")
    with codecache.compiled_kept(), pytest.raises(TypeError):
        caller()(MODULE, "m.py", "exec", "not flags")
    assert codecache._used == {}
    with codecache.compiled_kept():  # flags as compile() reads them: False is no flags
        assert caller()(MODULE, "m.py", "exec", False) == compile(MODULE, "m.py", "exec", 0, True)


def test_the_builtin_compile_is_back_after_the_block(kept: Path) -> None:
    original = builtins.compile
    with codecache.compiled_kept():
        assert builtins.compile is not original
        assert builtins.compile.__name__ == "compile"
    assert builtins.compile is original
    with pytest.raises(RuntimeError), codecache.compiled_kept():
        raise RuntimeError("an import failed")
    assert builtins.compile is original
