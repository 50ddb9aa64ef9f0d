#!/usr/bin/env bash
# Runs the whole test suite: unit, component and system tests (real servers on loopback).
# Extra arguments go to Maven, e.g. ./test.sh -pl proxy-server -Dtest=RoutingTest
set -euo pipefail
cd "$(dirname "$0")"
. bin/find-jdk.sh
# The schema and stores also run on a real PostgreSQL (the multi-node database) when one can be started here.
. bin/test-postgres.sh
exec ./mvnw -B -ntp verify "$@"
