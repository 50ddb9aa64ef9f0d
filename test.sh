#!/usr/bin/env bash
# Runs the whole test suite: unit, component and system tests (real servers on loopback).
# On a fresh Debian machine, as root, it first installs the packages the tests need (bin/test-deps.sh: chromium,
# libnss3-tools, PostgreSQL); not as root, it stops at once naming the apt-get command when one is missing.
# Extra arguments go to Maven, e.g. ./test.sh -pl proxy-server -am -Dtest=RoutingTest -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail
cd "$(dirname "$0")"
. bin/find-jdk.sh
. bin/test-deps.sh
# The schema and stores also run on a real PostgreSQL (the multi-node database) when one can be started here.
. bin/test-postgres.sh
exec ./mvnw -B -ntp verify "$@"
