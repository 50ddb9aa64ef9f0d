#!/usr/bin/env bash
# Builds Drawbridge and starts the demo: proxy server + one connector + a sample internal app,
# on embedded H2. Prints the URL to open and the admin credential. Ctrl-C stops everything.
# Options go to the demo, e.g. ./demo.sh --port 9443 --tunnel-port 9444
set -euo pipefail
cd "$(dirname "$0")"
. bin/find-jdk.sh
echo "Building (first run downloads dependencies; later runs take seconds)..."
./mvnw -B -q -ntp install -DskipTests
./mvnw -B -q -ntp -pl test-support dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dlogback.configurationFile="$PWD/bin/logback.xml" \
  -cp "test-support/target/classes:$(cat test-support/target/classpath.txt)" \
  dev.drawbridge.testsupport.demo.DemoMain "$@"
