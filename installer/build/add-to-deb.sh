#!/usr/bin/env bash
# add-to-deb.sh <jpackage's .deb> <root dir> <out .deb> <version>: the package jpackage built plus the files of <root dir>
# at their absolute places (what jpackage cannot put outside its install dir), each with the mode it needs; files
# under etc/ become conffiles (dpkg keeps an admin's changes over upgrades and asks before replacing them). Sets the
# package version (jpackage takes digits only), md5sums and Installed-Size, and rebuilds it owned by root.
set -euo pipefail
in=$1 root=$2 out=$3 version=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -R "$in" "$work/pkg"
cp -a "$root"/. "$work/pkg"/
(cd "$work/pkg"
 find . -path ./DEBIAN -prune -o -type d -print0 | xargs -0 chmod 0755
 for d in etc lib usr; do [ ! -d "$d" ] || find "$d" -type f -print0 | xargs -0 -r chmod 0644; done
 [ ! -d usr/bin ] || find usr/bin -type f -print0 | xargs -0 -r chmod 0755
 if [ -d etc ]; then find etc -type f | sed 's|^|/|' | sort > DEBIAN/conffiles; fi
 for f in postinst prerm postrm preinst; do [ ! -f "DEBIAN/$f" ] || chmod 0755 "DEBIAN/$f"; done
 find . -path ./DEBIAN -prune -o -type f -print0 | sed -z 's|^\./||' | sort -z | xargs -0 md5sum > DEBIAN/md5sums
 chmod 0644 DEBIAN/md5sums DEBIAN/control
 size=$(du -sk --exclude=DEBIAN . | cut -f1)
 sed -i -e "s/^Installed-Size:.*/Installed-Size: $size/" -e "s/^Version:.*/Version: $version-1/" DEBIAN/control)
# zstd: as small as xz for a Java runtime, several times faster to build (dpkg reads it since Debian 12).
dpkg-deb --root-owner-group -Zzstd -b "$work/pkg" "$out" >/dev/null
echo "built $out ($(du -h "$out" | cut -f1))"
