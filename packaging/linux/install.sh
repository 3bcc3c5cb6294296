#!/bin/sh
# Put coprod-desktop in your desktop's menus, with its icon and its session files (.coprod)
# that open in it on a double-click. For you alone: no root needed, nothing outside your home.
#
#   ./install.sh               the menu runs the app this script came with (the bundle's
#                              desktop-integration/ folder), or else `coprod-desktop` on PATH
#   ./install.sh --exec PATH   the menu runs the program at PATH
#   ./install.sh --uninstall   take it all out again
#
# Files go under ${XDG_DATA_HOME:-~/.local/share}: applications/, metainfo/, mime/packages/
# and icons/hicolor/; then the desktop's MIME, menu and icon caches are refreshed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
desktop_id=coprod-desktop.desktop
metainfo=io.github.coprod_desktop.metainfo.xml
mime_type=application/x-coprod-session
mode=install
exec_path=

while [ $# -gt 0 ]; do
    case $1 in
        --exec)
            [ $# -ge 2 ] || { echo "install.sh: --exec needs a path" >&2; exit 2; }
            exec_path=$2
            shift 2
            ;;
        --uninstall) mode=uninstall; shift ;;
        -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

refresh() {
    if command -v update-mime-database > /dev/null 2>&1 && [ -d "$data/mime/packages" ]; then
        update-mime-database "$data/mime"
    fi
    if command -v update-desktop-database > /dev/null 2>&1 && [ -d "$data/applications" ]; then
        update-desktop-database -q "$data/applications" || true
    fi
    if [ -d "$data/icons/hicolor" ]; then
        # A newer folder makes GTK and Qt look again; a cache is refreshed only if one is there.
        touch "$data/icons/hicolor"
        if [ -f "$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache > /dev/null 2>&1; then
            gtk-update-icon-cache -q -t -f "$data/icons/hicolor" || true
        fi
    fi
}

icon_files() {
    (cd "$here/icons" && find hicolor -type f \( -name '*.png' -o -name '*.svg' \))
}

if [ "$mode" = uninstall ]; then
    rm -f "$data/applications/$desktop_id" "$data/metainfo/$metainfo" "$data/mime/packages/coprod-desktop.xml"
    for icon in $(icon_files); do
        rm -f "$data/icons/$icon"
    done
    refresh
    echo "coprod-desktop: desktop integration removed from $data."
    exit 0
fi

if [ -z "$exec_path" ] && [ -x "$here/../coprod-desktop" ]; then
    exec_path="$(cd "$here/.." && pwd)/coprod-desktop"
fi
if [ -n "$exec_path" ]; then
    case $exec_path in
        /*) ;;
        *) exec_path="$(pwd)/$exec_path" ;;
    esac
    [ -x "$exec_path" ] || { echo "install.sh: $exec_path is not a program that can run" >&2; exit 2; }
    case $exec_path in
        *[\"\`\$\\]*)
            echo "install.sh: the path $exec_path holds a character a menu entry cannot; move the app" >&2
            exit 2
            ;;
    esac
fi

mkdir -p "$data/applications" "$data/metainfo" "$data/mime/packages"
if [ -n "$exec_path" ]; then
    # The Desktop Entry spec: a program path with spaces is quoted, with double quotes.
    sed -e "s|^Exec=coprod-desktop |Exec=\"$exec_path\" |" -e "s|^TryExec=.*|TryExec=$exec_path|" \
        "$here/$desktop_id" > "$data/applications/$desktop_id.new"
else
    cp "$here/$desktop_id" "$data/applications/$desktop_id.new"
fi
chmod 644 "$data/applications/$desktop_id.new"
mv "$data/applications/$desktop_id.new" "$data/applications/$desktop_id"
cp "$here/$metainfo" "$data/metainfo/$metainfo"
cp "$here/coprod-desktop.xml" "$data/mime/packages/coprod-desktop.xml"
for icon in $(icon_files); do
    mkdir -p "$(dirname "$data/icons/$icon")"
    cp "$here/icons/$icon" "$data/icons/$icon"
done
refresh
if command -v xdg-mime > /dev/null 2>&1; then
    xdg-mime default "$desktop_id" "$mime_type" || true
fi

echo "coprod-desktop: desktop integration installed in $data."
if [ -n "$exec_path" ]; then
    echo "The menu entry and .coprod files open $exec_path."
else
    echo "The menu entry runs coprod-desktop from your PATH."
fi
