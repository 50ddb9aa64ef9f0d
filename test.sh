#!/usr/bin/env bash
# Runs the whole test suite: unit, component and system tests (real servers on loopback).
# Extra arguments go to Maven, e.g. ./test.sh -pl proxy-server -Dtest=RoutingTest
set -euo pipefail
cd "$(dirname "$0")"
. bin/find-jdk.sh
exec ./mvnw -B -ntp verify "$@"
