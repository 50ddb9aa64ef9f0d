#!/usr/bin/env bash
# Builds one program's packages with jpackage (a jlinked Java runtime inside, no system Java needed). Run by Maven in
# installer/<program> (profile 'packages'):  package.sh <program> <maven version> <module dir> <target dir>
#   connector: drawbridge-connector_<v>_amd64.deb (+ the .msi: build/msi.sh)   server: drawbridge-server_<v>_amd64.deb
#   console:   drawbridge-console_<v>_amd64.deb and the app image drawbridge-console-<v>-linux-x64.tar.gz
# The .deb is jpackage's, with the maintainer scripts of <module>/src/deb/resources (build/maintainer-lib.sh pasted in),
# plus the files of <module>/src/deb/root that jpackage cannot place outside /opt: the systemd unit, the /usr/bin
# command, the settings under /etc (conffiles, kept over upgrades), the desktop entry.
set -euo pipefail
program=$1 version=$2 module=$3 target=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jpackage="${JAVA_HOME:?JAVA_HOME must name the JDK 25 that runs Maven}/bin/jpackage"
# Debian orders 0.1.0~SNAPSHOT before 0.1.0; an MSI (and jpackage's app image) wants numbers only.
deb_version=${version/-/\~}
numeric_version=${version%%-*}
input="$target/input" work="$target/jpackage"
rm -rf "$work" && mkdir -p "$work/resources"
cp "$here/logback.xml" "$input/logback.xml"
# Maintainer scripts: src/deb/resources with the shared functions pasted in (a maintainer script must stand alone).
shopt -s nullglob
for f in "$module"/src/deb/resources/*; do
  awk -v lib="$here/maintainer-lib.sh" '/^#MAINTAINER_LIB#$/ { while ((getline l < lib) > 0) print l; next } { print }' "$f" > "$work/resources/$(basename "$f")"
done
# jpackage's own .deb is unpacked again below: not compressing it saves minutes (dpkg-deb reads this variable).
export DPKG_DEB_COMPRESSOR_TYPE=none
common=(--input "$input" --dest "$work" --app-version "$numeric_version" --vendor "Drawbridge"
        --copyright "Drawbridge contributors" --resource-dir "$work/resources"
        --java-options "--enable-native-access=ALL-UNNAMED" --java-options "-XX:+ExitOnOutOfMemoryError"
        --java-options "-Dlogback.configurationFile=\$APPDIR/logback.xml")
linux=(--linux-deb-maintainer "drawbridge@localhost" --linux-app-release 1 --linux-package-name "drawbridge-$program")
# Runtime modules: what jdeps finds in each program's jars, plus what is loaded by name only (Kerberos login modules,
# DNS lookups, charsets, JMX) and Unsafe users; java.desktop (AWT: X11 libraries as dependencies) only for the console:
# the server's and connector's libraries use it optionally (Jackson's java.beans support, Jetty's AWT leak preventer,
# SnakeYAML's bean introspector, none of which runs). The package tests start the installed server and connector.
base=java.base,java.compiler,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.charsets,jdk.management,jdk.naming.dns,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs
case "$program" in
  connector)
    # Its own jlinked runtime WITH bin/java (jpackage's jlink strips the native commands): the auto-update supervisor
    # starts the connector as a child JVM of this runtime (docs/updates.md).
    "$JAVA_HOME/bin/jlink" --add-modules "$base" --strip-debug --no-man-pages --no-header-files --output "$work/runtime"
    "$jpackage" --type deb --name drawbridge-connector --main-jar "connector-$version.jar" \
      --main-class dev.drawbridge.connector.cli.ConnectorCli --runtime-image "$work/runtime" \
      --java-options "-Ddrawbridge.config=/etc/drawbridge-connector/connector.yaml" \
      --description "Drawbridge connector: carries requests from the Drawbridge proxy server to internal apps over outbound-only tunnels" \
      --linux-app-category net "${common[@]}" "${linux[@]}"
    # The update bundle of this version (docs/updates.md), for 'drawbridge connector-updates upload': the descriptor and
    # the same jars as /opt/drawbridge-connector/lib/app, the connector's own jar first (the class path's order).
    bundle="$work/bundle"
    mkdir -p "$bundle/lib"
    printf 'product=drawbridge-connector\nversion=%s\nmain-class=dev.drawbridge.connector.cli.ConnectorCli\njava=%s\n' \
      "$version" "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" \
      > "$bundle/drawbridge-update.properties"
    cp "$input"/*.jar "$bundle/lib/"
    entries=(-C "$bundle" drawbridge-update.properties -C "$bundle" "lib/connector-$version.jar")
    for j in $(cd "$bundle" && ls lib/*.jar | LC_ALL=C sort); do
      [ "$j" = "lib/connector-$version.jar" ] || entries+=(-C "$bundle" "$j")
    done
    rm -f "$target/drawbridge-connector-update-$version.zip"
    "$JAVA_HOME/bin/jar" --create --no-manifest --file "$target/drawbridge-connector-update-$version.zip" "${entries[@]}"
    echo "built $target/drawbridge-connector-update-$version.zip" ;;
  server)
    "$jpackage" --type deb --name drawbridge-server --main-jar "proxy-server-$version.jar" \
      --main-class dev.drawbridge.proxy.cli.ServerCli --add-modules "$base,java.instrument,java.scripting,java.xml.crypto,jdk.net" \
      --java-options "-Ddrawbridge.config=/etc/drawbridge/server.yaml" \
      --java-options "-Dorg.jooq.no-logo=true" --java-options "-Dorg.jooq.no-tips=true" \
      --description "Drawbridge proxy server: publishes internal web apps to remote users through connectors, without a VPN" \
      --linux-app-category net "${common[@]}" "${linux[@]}" ;;
  console)
    modules="$base,java.desktop,java.datatransfer,java.prefs,jdk.jfr,jdk.jsobject,jdk.unsupported.desktop,jdk.xml.dom"
    console=(--name drawbridge-console --main-jar "admin-console-$version.jar" --main-class dev.drawbridge.console.Launcher
             --add-modules "$modules" --description "Drawbridge admin console: the desktop console for Drawbridge administrators")
    "$jpackage" --type deb "${console[@]}" "${common[@]}" "${linux[@]}" --linux-app-category admin \
      --linux-package-deps "libgtk-3-0, libgl1"
    "$jpackage" --type app-image "${console[@]}" "${common[@]}" --dest "$work/app-image"
    tar -C "$work/app-image" -czf "$target/drawbridge-console-$version-linux-x64.tar.gz" drawbridge-console ;;
  *) echo "error: unknown program $program" >&2; exit 2 ;;
esac
built=$(ls "$work"/*.deb)
# The files jpackage cannot place, and the install guide (docs/install.md) where the units' Documentation= points.
cp -a "$module/src/deb/root" "$work/root"
mkdir -p "$work/root/usr/share/doc/drawbridge-$program"
cp "$here/../../docs/install.md" "$work/root/usr/share/doc/drawbridge-$program/install.md"
"$here/add-to-deb.sh" "$built" "$work/root" "$target/drawbridge-${program}_${deb_version}_amd64.deb" "$deb_version"
