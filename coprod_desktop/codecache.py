"""Code compiled from source text at every start, compiled once and kept, as Python keeps a
module's bytecode: the methods `@dataclass` writes, and the support modules of shiboken6.

`@dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__`, `__hash__`
and, for a frozen class, `__setattr__` and `__delattr__`, and compiles it with `exec()` as
the class is made (dataclasses._create_fn). The app makes some 60 dataclasses on its way to
the first frame: about 200 small functions, each parsed and compiled at every start, some
12 ms. The source is the same at every start, so the compiled code can be kept.

`install()` puts in place a `_create_fn` that is CPython 3.11's own, line for line, except
that it runs the code object compiled from the source, looked up by the source's exact text
in a table, instead of handing exec() the text; what is not in the table is compiled there
and then, as exec() would compile it (file "<string>", no __future__ flags: dataclasses.py
has none, so exec inherits none). The function made is the same either way: same code, same
globals, same closure, same defaults.

shiboken6 (PySide6's binding library) carries its support modules (shibokensupport: the
signature loader, its parser and mapping, the feature switch) inside its binary as source,
and compiles them with the builtin `compile()` each time it is imported: 160 kB of Python,
some 15 ms of the start of any PySide6 program (a bare QMainWindow too). Inside `compiled_kept()`
(which app.prepare_start wraps around the import of the ui package, which imports shiboken6)
the builtin `compile` looks the call up in the same table: the exact source, file name and
effective flags, those the caller's module would have passed on (its __future__ imports, as
compile() inherits them); anything else (an AST, a mode other than "exec", other flags, an
explicit optimisation level) goes to the real `compile` unchanged. A code object compiled
from the same text, name and flags by the same Python is the same code, so shiboken runs
what it would have compiled. Should shiboken stop compiling at import, nothing is looked up.

`save()` (which ui.shell.application calls once the app is idle after start-up) writes the
table, with exactly what this run used, when anything had to be compiled: next to the
package's bytecode (`coprod_desktop/__pycache__/keptcode.<cache tag>.bin`, or under
sys.pycache_prefix), never when bytecode is not written (PYTHONDONTWRITEBYTECODE). The
commands without a window (`coprod-desktop export ...`, app.py) keep their own table,
`keptcode-commands.<cache tag>.bin`, saved once the command has done its work: they make the
model's and the report's classes, not the screens', and each table holds one kind of run's. The file
starts with the bytecode magic number, the exact Python version and its optimisation level;
one that does not match, cannot be read or is damaged is ignored (and replaced at the next
save). Like a .pyc file, it is trusted as code.

The dataclass part installs only if dataclasses._create_fn is the one it copies (a
fingerprint of its bytecode, CPython 3.11.7's); otherwise the original stays.
tests/test_codecache.py checks that the methods and modules made both ways are the same code
and behave the same.
"""

from __future__ import annotations
import __future__

import builtins
import contextlib
import dataclasses
import marshal
import operator
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

FORMAT = b"coprod-desktop kept code 2\n"
# dataclasses._create_fn of CPython 3.11.7, which _create_fn below copies.
_CHECKED_AGAINST = 0xCD633BC5

# What a code object is kept under: its source (text or bytes), file name and compiler flags.
Key = tuple[str | bytes, str, int]
_original: Any = None
_table: dict[Key, CodeType] = {}  # as read from the file
_used: dict[Key, CodeType] = {}  # what this run has looked up or compiled
_compiled = 0  # how many were not in the file
_builtin_compile: Any = None  # the real compile() while compiled_kept() is in force
# Which table is in use: the app's start-up ("keptcode") or the commands' (see install()).
_name = "keptcode"

# The flags compile() takes from the calling code's __future__ imports unless told not to
# (CPython's PyCF_MASK): every feature's but nested_scopes' and generators', which are
# always on (one has no flag, the other's is an obsolete one that compile() ignores).
INHERITED_FLAGS = 0
for _feature in __future__.all_feature_names:
    if _feature not in ("nested_scopes", "generators"):
        INHERITED_FLAGS |= getattr(__future__, _feature).compiler_flag


def code_fingerprint(*codes: CodeType) -> int:
    """A checksum of code objects' bytecode, names and constants, nested code included: the
    same for the same code in every run (a frozenset's repr, whose order follows the hash
    seed, is taken sorted). quickenums checks the enum code it stands in for with it too."""
    checksum = 0

    def feed(code: CodeType) -> None:
        nonlocal checksum
        checksum = zlib.crc32(code.co_code, checksum)
        checksum = zlib.crc32(repr((code.co_names, code.co_varnames, code.co_freevars)).encode(), checksum)
        for constant in code.co_consts:
            if isinstance(constant, CodeType):
                feed(constant)
            elif isinstance(constant, frozenset):
                checksum = zlib.crc32(repr(sorted(constant, key=repr)).encode(), checksum)
            else:
                checksum = zlib.crc32(repr(constant).encode(), checksum)

    for code in codes:
        feed(code)
    return checksum


def fingerprint() -> int:
    """The checksum of dataclasses._create_fn's code."""
    return code_fingerprint((_original or dataclasses._create_fn).__code__)  # type: ignore[attr-defined]


def user_cache_folder() -> Path | None:
    """The app's folder in the platform's cache folder (None without a home folder)."""
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(Path.home() / "Library" / "Caches")
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except (RuntimeError, KeyError, OSError):
        return None
    return Path(base) / "coprod-desktop"


def cache_file() -> Path | None:
    """Where the table is kept: beside the package's own bytecode; for a bundled app, whose
    modules live in an archive, in the user's cache folder (`code/`)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    if getattr(sys, "frozen", False):
        folder = user_cache_folder()
        return folder / "code" / f"{_name}.{tag}.bin" if folder is not None else None
    import importlib.util

    try:
        beside = importlib.util.cache_from_source(str(Path(__file__).with_name("__init__.py")))
    except (NotImplementedError, ValueError):
        return None
    return Path(beside).with_name(f"{_name}.{tag}.bin")


def _header() -> bytes:
    import importlib.util

    return FORMAT + importlib.util.MAGIC_NUMBER + f"{sys.version} -O{sys.flags.optimize}\n".encode()


def installed() -> bool:
    return _original is not None


def install(name: str = "keptcode") -> bool:
    """Use kept code from now on, if dataclasses._create_fn is the one copied; True if in use.

    `name` is the table's: the app's start-up keeps its own ("keptcode"), and the commands
    (`coprod-desktop export ...`, "keptcode-commands") theirs, for each run saves exactly what
    it used, and the two use different modules."""
    global _original, _name
    if _original is not None:
        return True
    _name = name
    original = getattr(dataclasses, "_create_fn", None)
    if sys.implementation.name != "cpython" or getattr(original, "__module__", None) != "dataclasses":
        return False
    if fingerprint() != _CHECKED_AGAINST:
        return False
    _table.clear()
    _table.update(_read())
    _original = original
    dataclasses._create_fn = _create_fn  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """Put the original back and forget the table (for tests)."""
    global _original, _compiled, _name
    if _original is not None:
        dataclasses._create_fn = _original  # type: ignore[attr-defined]
        _original = None
    _name = "keptcode"
    _table.clear()
    _used.clear()
    _compiled = 0


def _read(path: Path | None = None) -> dict[Key, CodeType]:
    """The table in `path` (by default the cache file); empty if it is not one of ours."""
    path = path or cache_file()
    if path is None:
        return {}
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    header = _header()
    if not data.startswith(header):
        return {}
    try:
        table = marshal.loads(memoryview(data)[len(header) :])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {key: code for key, code in table.items() if _is_key(key) and isinstance(code, CodeType)}


def _is_key(key: object) -> bool:
    return (
        type(key) is tuple
        and len(key) == 3
        and type(key[0]) in (str, bytes)
        and type(key[1]) is str
        and type(key[2]) is int
    )


def save() -> bool:
    """Keep what this run used, if anything had to be compiled; True if written."""
    global _compiled
    # A bundled app never writes bytecode (PyInstaller turns it off), but keeps this table.
    if not _compiled or (sys.dont_write_bytecode and not getattr(sys, "frozen", False)):
        return False
    path = cache_file()
    if path is None:
        return False
    data = _header() + marshal.dumps(dict(_used))
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    _compiled = 0
    return True


def _code(source: str | bytes, filename: str = "<string>", flags: int = 0) -> CodeType:
    """The code `compile(source, filename, "exec", flags, dont_inherit=True)` makes, kept."""
    global _compiled
    key = (source, filename, flags)
    code = _used.get(key) or _table.get(key)
    if code is None:
        code = (_builtin_compile or compile)(source, filename, "exec", flags, True)
        _compiled += 1
    _used[key] = code
    return code


@contextlib.contextmanager
def compiled_kept() -> Iterator[None]:
    """While in the block, builtins.compile() gives kept code for a module's source text.

    For the calls it recognises (source as str or bytes, a file name, mode "exec", no flags
    but __future__ ones, neither `dont_inherit` nor an optimisation level) it works out the
    flags as compile() does, those given and those of the calling code's __future__ imports,
    and looks the three up in the table; every other call goes to the real compile(), which
    then inherits from the same caller. Python's own import system, which compiles a module
    without a bytecode file with `dont_inherit` and then writes one, is left to do so. Reads
    the table if install() has not. Not for nesting or threads: it is meant for one import
    at start-up."""
    global _builtin_compile
    if _builtin_compile is not None or sys.implementation.name != "cpython":
        yield
        return
    if _original is None and not _table:
        _table.update(_read())
    _builtin_compile = builtins.compile
    builtins.compile = _compile
    try:
        yield
    finally:
        if builtins.compile is _compile:
            builtins.compile = _builtin_compile
        _builtin_compile = None


def _compile(
    source: Any,
    filename: Any,
    mode: str,
    flags: int = 0,
    dont_inherit: bool = False,
    optimize: int = -1,
    **options: Any,
) -> Any:
    """builtins.compile, with kept code for a module's source (compiled_kept() says which)."""
    flags = operator.index(flags)  # as compile() takes its flags (the same TypeError if not)
    if dont_inherit:
        # Python's own import system compiles a module that has no bytecode file this way,
        # then writes one: that is its to keep.
        return _builtin_compile(source, filename, mode, flags, True, optimize, **options)
    flags |= sys._getframe(1).f_code.co_flags & INHERITED_FLAGS
    if (
        type(source) in (str, bytes)
        and type(filename) is str
        and mode == "exec"
        and not flags & ~INHERITED_FLAGS
        and optimize == -1
        and not options
    ):
        return _code(source, filename, flags)
    return _builtin_compile(source, filename, mode, flags, True, optimize, **options)


_compile.__name__ = "compile"
_compile.__qualname__ = "compile"
_compile.__doc__ = builtins.compile.__doc__


MISSING = dataclasses.MISSING


def _create_fn(  # noqa: A002 - the original's signature, `globals` and all
    name: str,
    args: Any,
    body: Any,
    *,
    globals: Any = None,  # noqa: A002
    locals: Any = None,  # noqa: A002
    return_type: Any = MISSING,
) -> Any:
    """dataclasses._create_fn of CPython 3.11.7, running kept code for its text."""
    if globals is None:
        # exec would take the calling frame's globals, dataclasses' own: only the original can.
        return _original(name, args, body, globals=globals, locals=locals, return_type=return_type)
    if locals is None:
        locals = {}
    return_annotation = ""
    if return_type is not MISSING:
        locals["_return_type"] = return_type
        return_annotation = "->_return_type"
    args = ",".join(args)
    body = "\n".join(f"  {b}" for b in body)
    txt = f" def {name}({args}){return_annotation}:\n{body}"
    local_vars = ", ".join(locals.keys())
    txt = f"def __create_fn__({local_vars}):\n{txt}\n return {name}"
    ns: dict[str, Any] = {}
    exec(_code(txt), globals, ns)
    return ns["__create_fn__"](**locals)


_create_fn.__annotations__ = {}  # as the original's, which has none
