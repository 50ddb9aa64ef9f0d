#!/usr/bin/env bash
# Builds Drawbridge and starts the demo: proxy server + one connector + a sample internal app,
# on embedded H2. Prints the URL to open and the admin credential. Ctrl-C stops everything.
# Runs again on any ports: the stored connector follows the server.
# Options go to the demo, e.g. ./demo.sh --port 9443 --tunnel-port 9444  (./demo.sh --help)
set -euo pipefail
cd "$(dirname "$0")"
. bin/run-module.sh
run_module demo dev.drawbridge.demo.DemoMain "$@"
