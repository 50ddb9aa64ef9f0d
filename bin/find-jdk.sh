# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK 25 or newer, or exits with a clear message.
# Order: $JAVA_HOME if it is 25+, then JDKs under /usr/lib/jvm and /opt (newest first), then `java` on the PATH.
_db_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1; }
_db_pick_jdk() {
  local c m
  for c in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ /opt/*jdk*/ 2>/dev/null | sort -rV) \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    c="${c%/}"
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    m=$(_db_java_major "$c")
    if [ -n "$m" ] && [ "$m" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(_db_pick_jdk); then
  echo "error: Drawbridge needs a JDK 25 or newer (java and javac) and found none in \$JAVA_HOME, /usr/lib/jvm, /opt or on the PATH: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
