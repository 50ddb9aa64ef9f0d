# Sourced by bin/drawbridge, bin/drawbridge-server, bin/drawbridge-connector, bin/drawbridge-console and demo.sh:
# builds a module and what it needs when its build is missing or older than the sources, then runs a main class.
# The build stays in the checkout (target/, the modules' jars found through the reactor): nothing is installed
# into ~/.m2 but the dependencies Maven downloads.
# usage: run_module <module> <main class> [args...]
_db_build_module() {
  local root="$1" module="$2" cp="$1/$2/target/classpath.txt"
  if [ -f "$cp" ] && [ -d "$root/$module/target/classes" ] &&
     [ -z "$(find "$root" \( -path "$root/*/src/main/*" -o -name pom.xml \) -newer "$cp" -not -path "*/target/*" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "Building $module (the first build downloads dependencies; later ones take seconds)..." >&2
  if ! (cd "$root" && ./mvnw -B -q -ntp package dependency:build-classpath -Dmaven.test.skip=true -pl "$module" -am \
          -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2); then
    rm -f "$cp"
    echo "error: building $module failed (Maven's messages above): fix what they name (network for the first build, a JDK 25), then run the command again." >&2
    exit 1
  fi
  touch "$cp"  # Maven leaves an unchanged classpath file alone: mark this build as done
}
run_module() {
  local module="$1" main="$2"; shift 2
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  . "$root/bin/find-jdk.sh"
  _db_build_module "$root" "$module"
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dlogback.configurationFile="${DRAWBRIDGE_LOGBACK:-$root/bin/logback.xml}" \
    -cp "$root/$module/target/classes:$(cat "$root/$module/target/classpath.txt")" "$main" "$@"
}
