# Sourced by bin/drawbridge, bin/drawbridge-server and bin/drawbridge-connector: builds the module if needed and runs a main class.
# usage: run_module <module> <main class> [args...]
run_module() {
  local module="$1" main="$2"; shift 2
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  . "$root/bin/find-jdk.sh"
  if [ ! -f "$root/$module/target/classpath.txt" ] || [ ! -d "$root/$module/target/classes" ]; then
    (cd "$root" && ./mvnw -B -q -ntp install -DskipTests -pl "$module" -am >&2 &&
     ./mvnw -B -q -ntp -pl "$module" dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2)
  fi
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dlogback.configurationFile="${DRAWBRIDGE_LOGBACK:-$root/bin/logback.xml}" \
    -cp "$root/$module/target/classes:$(cat "$root/$module/target/classpath.txt")" "$main" "$@"
}
