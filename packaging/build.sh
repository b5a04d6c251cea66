#!/usr/bin/env bash
# Build Caviar's installer (see packaging/README.md):
#   1. the PyInstaller one-folder bundle dist/caviar/ (the same spec works on Windows and macOS);
#   2. on Linux, the Debian package dist/caviar_<version>_<arch>.deb: the bundle under
#      /opt/caviar, /usr/bin/caviar, a .desktop entry and the icon in the hicolor theme.
#
#   packaging/build.sh              bundle + .deb
#   packaging/build.sh --bundle     bundle only
#
# Environment: PYTHON (default .venv/bin/python; the venv is created and the `packaging` extra
# installed when PyInstaller is missing), DIST (default dist/), WORK (default build/installer/),
# DEB_COMPRESSION (dpkg-deb options, default "-Zxz": the smallest file, 2-4 min for ~280 MB;
# "-Zxz -z1" takes under a minute for a .deb ~15% larger).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DIST=${DIST:-$ROOT/dist}
WORK=${WORK:-$ROOT/build/installer}
DEB_COMPRESSION=${DEB_COMPRESSION:--Zxz}
BUNDLE_ONLY=0
[ "${1:-}" = "--bundle" ] && BUNDLE_ONLY=1

step() { printf '[build] %s\n' "$*" >&2; }

# --- 1. the bundle --------------------------------------------------------------------------
if [ ! -x "$PYTHON" ]; then
  step "creating the venv .venv"
  python3 -m venv "$ROOT/.venv"
  PYTHON=$ROOT/.venv/bin/python
fi
if ! "$PYTHON" -c "import PyInstaller, importlib.metadata as m; m.version('caviar')" 2>/dev/null
then
  step "installing Caviar with the packaging extra into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
  "$PYTHON" -m pip install --quiet -e "$ROOT[packaging]"
fi
VERSION=$("$PYTHON" -c "import importlib.metadata as m; print(m.version('caviar'))")
step "PyInstaller $("$PYTHON" -m PyInstaller --version): bundle of caviar $VERSION"
rm -rf "$DIST/caviar"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/pyinstaller" packaging/caviar.spec
# libpython keeps its debug symbols (~17 MB): strip that one library only. Stripping the
# wheels' libraries breaks them (numpy's OpenBLAS: "ELF load command ... not page-aligned").
if [ "$(uname -s)" = Linux ] && command -v strip >/dev/null; then
  strip --strip-unneeded "$DIST"/caviar/_internal/libpython3*.so*
fi
"$DIST/caviar/caviar" --version >/dev/null  # the frozen interpreter starts
step "bundle: $DIST/caviar ($(du -sh "$DIST/caviar" | cut -f1))"

if [ "$BUNDLE_ONLY" = 1 ] || [ "$(uname -s)" != Linux ]; then
  exit 0
fi
command -v dpkg-deb >/dev/null || { echo "dpkg-deb not found: cannot build the .deb" >&2; exit 1; }

# --- 2. the .deb ------------------------------------------------------------------------------
ARCH=$(dpkg --print-architecture)
STAGE=$WORK/deb/caviar
DEB=$DIST/caviar_${VERSION}_${ARCH}.deb
rm -rf "$STAGE" "$DEB"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
  "$STAGE/usr/share/doc/caviar"
cp -a "$DIST/caviar" "$STAGE/opt/caviar"
ln -s /opt/caviar/caviar "$STAGE/usr/bin/caviar"
cp packaging/caviar.desktop "$STAGE/usr/share/applications/caviar.desktop"
cp resources/icons/caviar.png "$STAGE/usr/share/icons/hicolor/256x256/apps/caviar.png"
cp resources/icons/caviar.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/caviar.svg"
cp packaging/copyright "$STAGE/usr/share/doc/caviar/copyright"
chmod -R u=rwX,go=rX "$STAGE"

# libc6: the newest GLIBC symbol version any bundled library asks for (the build host's).
GLIBC=$(find "$STAGE/opt/caviar" -type f \( -name '*.so*' -o -name caviar \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' \
  | sort -uV | tail -1 || true)
GLIBC=${GLIBC:-$(ldd --version | head -1 | grep -o '[0-9.]*$')}
SIZE_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$SIZE_KB/" \
  -e "s/libc6 (>= [0-9.]*)/libc6 (>= $GLIBC)/" packaging/control.in > "$STAGE/DEBIAN/control"
# shellcheck disable=SC2086 # DEB_COMPRESSION is a list of options
dpkg-deb --root-owner-group $DEB_COMPRESSION --build "$STAGE" "$DEB" >/dev/null
step "package: $DEB ($(du -h "$DEB" | cut -f1), installs $((SIZE_KB / 1024)) MB)"
