#!/usr/bin/env bash
# Builds the connector's MSI for Windows servers with wixl (Debian's msitools), from WiX XML:
#   msi.sh <maven version> <installer/connector dir> <target dir>
# -> <target>/drawbridge-connector-<version>.msi. The jars come from <target>/input (as for the .deb), listed by
# wixl-heat. The service wrapper is WinSW: WINSW_EXE names WinSW-x64.exe (Maven: -Dwinsw.exe=...). Without it a
# stand-in file takes its place and the MSI refuses to install (a LaunchCondition says why), so that the tables can
# still be built and checked here.
set -euo pipefail
version=$1 module=$2 target=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v wixl >/dev/null || { echo "error: wixl is missing: sudo apt-get install -y wixl msitools" >&2; exit 1; }
work="$target/msi"
rm -rf "$work" && mkdir -p "$work/lib"
cp "$target"/input/*.jar "$work/lib/"
if [ -n "${WINSW_EXE:-}" ]; then
  [ -f "$WINSW_EXE" ] || { echo "error: -Dwinsw.exe names $WINSW_EXE, which does not exist" >&2; exit 1; }
  wrapper=winsw exe=winsw.exe
  cp "$WINSW_EXE" "$work/winsw.exe"
else
  echo "[WARNING] no -Dwinsw.exe: the MSI gets a stand-in service wrapper and refuses to install on Windows (it can be inspected here)" >&2
  wrapper=stand-in exe=winsw-stand-in.exe
  echo "stand-in for WinSW-x64.exe: build with -Dwinsw.exe=WinSW-x64.exe" > "$work/$exe"
fi
# wixl-heat wraps the files in a Directory named "." under LIBDIR: lib/ is flat, so that wrapper goes.
(cd "$work" && find lib -name '*.jar' | sort | wixl-heat --prefix lib/ --directory-ref LIBDIR --component-group Jars \
   --var var.LibDir --win64 | sed -e '/<Directory Id="[^"]*" Name="\.">/d' -e '/<\/Directory>/d' > lib.wxs)
numeric=${version%%-*}
# wixl takes sources relative to where it runs: everything the MSI holds is gathered in $work.
cp "$module"/src/msi/drawbridge-connector-service.xml "$module"/src/msi/drawbridge-connector.cmd "$module"/src/msi/connector.yaml.example \
   "$here/logback.xml" "$work/"
(cd "$work" && wixl --arch x64 -o "$target/drawbridge-connector-$version.msi" -D Version="$numeric" -D ServiceWrapper="$wrapper" \
  -D ServiceExe="$exe" -D MsiDir=. -D Logback=logback.xml -D LibDir=lib -D Win64=yes \
  "$module/src/msi/drawbridge-connector.wxs" lib.wxs)
echo "built $target/drawbridge-connector-$version.msi ($(du -h "$target/drawbridge-connector-$version.msi" | cut -f1), service wrapper: $wrapper)"
