"""Packaging: the Linux desktop integration files, the app icon in every format, and the recipe's
choice of Qt plugins. Fast and without building anything; `python3 dev.py bundle` builds the app.

The validators (desktop-file-validate, appstreamcli, update-mime-database) run when installed
(`python3 dev.py bundle` installs them); the files are also read here, so the keys that make a
double-click open a session are checked everywhere.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

from coprod_desktop import __version__
from coprod_desktop.storage.schema import APPLICATION_ID

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
ICONS = REPO / "resources" / "icons"
DESKTOP = LINUX / "coprod-desktop.desktop"
METAINFO = LINUX / "io.github.coprod_desktop.metainfo.xml"
MIME_XML = LINUX / "coprod-desktop.xml"
APP_ID = "io.github.coprod_desktop"
MIME_TYPE = "application/x-coprod-session"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def desktop_entry() -> dict[str, str]:
    """The [Desktop Entry] group, as key -> value."""
    entry: dict[str, str] = {}
    group = None
    for line in DESKTOP.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line
            continue
        key, _, value = line.partition("=")
        if group == "[Desktop Entry]":
            assert key not in entry, f"{key} appears twice"
            entry[key] = value
    return entry


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def run_validator(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    if shutil.which(cmd[0]) is None:
        pytest.skip(f"{cmd[0]} is not installed (python3 dev.py bundle installs it)")
    return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the .desktop file


def test_desktop_entry_opens_session_files_in_the_app() -> None:
    entry = desktop_entry()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "coprod-desktop"
    assert entry["Exec"] == "coprod-desktop %f"
    assert entry["Exec"].split()[0] in scripts
    assert entry["TryExec"] == "coprod-desktop"
    assert entry["Terminal"] == "false"
    assert entry["Icon"] == "coprod-desktop"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["MimeType"].endswith(";")
    assert entry["Categories"].endswith(";")
    assert "Office" in entry["Categories"].split(";")
    assert entry["Comment"]
    assert not entry["Comment"].endswith(".")


def test_desktop_file_validate_accepts_the_desktop_file() -> None:
    done = run_validator(["desktop-file-validate", str(DESKTOP)])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""  # not even a hint


# --------------------------------------------------------------------------- AppStream metainfo


def test_metainfo_matches_the_app() -> None:
    root = ET.parse(METAINFO).getroot()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == project["license"]
    assert root.findtext("name") == "coprod-desktop"
    assert root.findtext("summary")
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") == "coprod-desktop"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    assert root.find("content_rating") is not None
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.get("version") == __version__, "add a <release> for the new version to the metainfo"


def test_appstreamcli_validates_the_metainfo() -> None:
    done = run_validator(["appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO)])
    assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------- the MIME type


def mime_type_element() -> ET.Element:
    root = ET.parse(MIME_XML).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    types = root.findall(f"{MIME_NS}mime-type")
    assert [t.get("type") for t in types] == [MIME_TYPE]
    return types[0]


def magic_value(text: str) -> bytes:
    """A shared-mime-info string value, with its backslash escapes (\\000, \\n...) decoded."""
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


def test_mime_type_knows_sessions_by_name_and_by_header() -> None:
    mime = mime_type_element()
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.coprod"]
    parent = mime.find(f"{MIME_NS}sub-class-of")
    assert parent is not None
    assert parent.get("type") == "application/vnd.sqlite3"
    magic = mime.find(f"{MIME_NS}magic")
    assert magic is not None
    assert int(magic.get("priority", "50")) > 50  # above plain SQLite's own rule
    outer = magic.find(f"{MIME_NS}match")
    assert outer is not None
    assert (outer.get("type"), outer.get("offset")) == ("string", "0")
    assert magic_value(outer.get("value", "")) == b"SQLite format 3\x00"
    inner = outer.find(f"{MIME_NS}match")
    assert inner is not None
    assert (inner.get("type"), inner.get("offset")) == ("big32", "68")
    assert int(inner.get("value", ""), 16) == APPLICATION_ID


def test_a_real_session_file_matches_the_mime_magic(tmp_path: Path) -> None:
    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.storage.sessionfile import SessionFile
    from coprod_desktop.storage.templates import load_builtin_template

    path = tmp_path / "sample.coprod"
    SessionFile.create(path, build_sample(load_builtin_template())).close()
    head = path.read_bytes()[:72]
    outer = mime_type_element().find(f"{MIME_NS}magic/{MIME_NS}match")
    assert outer is not None
    inner = outer.find(f"{MIME_NS}match")
    assert inner is not None
    expected = magic_value(outer.get("value", ""))
    assert head[: len(expected)] == expected
    assert struct.unpack(">I", head[68:72])[0] == int(inner.get("value", ""), 16)


def test_update_mime_database_compiles_the_type(tmp_path: Path) -> None:
    (tmp_path / "mime" / "packages").mkdir(parents=True)
    shutil.copy(MIME_XML, tmp_path / "mime" / "packages" / MIME_XML.name)
    done = run_validator(["update-mime-database", str(tmp_path / "mime")])
    assert done.returncode == 0, done.stderr
    assert MIME_TYPE in (tmp_path / "mime" / "types").read_text().split()
    magic = (tmp_path / "mime" / "magic").read_bytes()
    assert b"\x00\x10SQLite format 3\x00" in magic  # all 16 bytes, the NUL too
    assert b"68=\x00\x04CoPr" in magic
    assert "*.coprod" in (tmp_path / "mime" / "globs2").read_text()


# --------------------------------------------------------------------------- install.sh


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux desktop integration")
def test_install_script_installs_and_removes_the_integration(tmp_path: Path) -> None:
    program = tmp_path / "my apps" / "coprod-desktop"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    data = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(data), XDG_CONFIG_HOME=str(tmp_path / "config"))
    script = LINUX / "install.sh"
    assert os.access(script, os.X_OK), "install.sh must be executable"

    done = subprocess.run(
        [str(script), "--exec", str(program)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    installed = data / "applications" / DESKTOP.name
    text = installed.read_text(encoding="utf-8")
    assert f'Exec="{program}" %f' in text.splitlines()
    assert f"TryExec={program}" in text.splitlines()
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (data / "mime" / "packages" / MIME_XML.name).is_file()
    for size in PNG_SIZES:
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "coprod-desktop.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "coprod-desktop.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout

    done = subprocess.run([str(script), "--uninstall"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not installed.exists()
    assert not list((data / "icons").rglob("coprod-desktop.*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux desktop integration")
def test_install_script_refuses_a_program_that_is_not_there(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "share"))
    done = subprocess.run(
        [str(LINUX / "install.sh"), "--exec", str(tmp_path / "nothing")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "is not a program" in done.stderr
    assert not (tmp_path / "share" / "applications").exists()


# --------------------------------------------------------------------------- the icon


def test_icon_svg_has_the_parts_make_icons_uses() -> None:
    root = ET.parse(ICONS / "coprod-desktop.svg").getroot()
    assert root.get("viewBox") == "0 0 512 512"
    ids = {element.get("id") for element in root.iter()}
    assert {"tile", "ladder", "people"} <= ids
    scalable = LINUX / "icons" / "hicolor" / "scalable" / "apps" / "coprod-desktop.svg"
    assert scalable.read_bytes() == (ICONS / "coprod-desktop.svg").read_bytes()


@pytest.mark.parametrize("size", PNG_SIZES)
def test_icon_png_has_its_size_in_the_app_and_in_the_hicolor_theme(size: int) -> None:
    data = (ICONS / f"coprod-desktop-{size}.png").read_bytes()
    assert png_size(data) == (size, size)
    themed = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "coprod-desktop.png"
    assert themed.read_bytes() == data


def test_windows_ico_holds_png_entries_16_to_256() -> None:
    data = (ICONS / "coprod-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        side = width or 256
        assert (height or 256) == side
        assert (planes, bits) == (1, 32)
        assert offset + length <= len(data)
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]


def test_macos_icns_holds_png_entries_ic07_to_ic10() -> None:
    data = (ICONS / "coprod-desktop.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    entries: dict[bytes, tuple[int, int]] = {}
    position = 8
    while position < len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack(">I", data[position + 4 : position + 8])
        assert length > 8
        entries[kind] = png_size(data[position + 8 : position + length])
        position += length
    assert position == len(data)
    assert entries[b"ic07"] == (128, 128)
    assert entries[b"ic08"] == (256, 256)
    assert entries[b"ic09"] == (512, 512)
    assert entries[b"ic10"] == (1024, 1024)


def test_the_wheel_ships_the_icons() -> None:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "coprod_desktop.resources.icons" in setuptools["packages"]
    patterns = setuptools["package-data"]["coprod_desktop.resources.icons"]
    assert {"*.svg", "*.png", "*.ico", "*.icns"} <= set(patterns)


# --------------------------------------------------------------------------- the recipe


def test_bundle_keeps_the_qt_plugins_a_laptop_needs_and_drops_the_rest() -> None:
    selection = load_module(REPO / "packaging" / "pyinstaller" / "hooks" / "qt_selection.py")
    plugins = Path("PySide6", "Qt", "plugins")
    for kept in (
        "platforms/libqxcb.so",
        "platforms/libqwayland.so",
        "platforms/libqoffscreen.so",
        "wayland-shell-integration/libxdg-shell.so",
        "imageformats/libqsvg.so",
        "imageformats/libqico.so",
        "iconengines/libqsvgicon.so",
        "platformthemes/libqxdgdesktopportal.so",
        "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    ):
        assert selection.wanted(str(plugins / kept)), kept
    for dropped in (
        "platforms/libqeglfs.so",
        "platforms/libqvnc.so",
        "platformthemes/libqgtk3.so",
        "imageformats/libqpdf.so",
        "imageformats/libqwebp.so",
        "sqldrivers/libqsqlite.so",
        "tls/libqopensslbackend.so",
        "qmltooling/libqmldbg_debugger.so",
        "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    ):
        assert not selection.wanted(str(plugins / dropped)), dropped
    assert not selection.wanted(str(Path("PySide6", "Qt", "translations", "qtbase_de.qm")))
    assert selection.wanted(str(Path("PySide6", "Qt", "lib", "libQt6Core.so.6")))
    assert selection.wanted(str(Path("coprod_desktop", "resources", "icons", "coprod-desktop.svg")))
