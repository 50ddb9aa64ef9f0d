# Sourced by .ci/run: starts Debian's PostgreSQL (installing it if missing) and exports DRAWBRIDGE_TEST_PG_URL
# for the tests that run the schema and stores on a real PostgreSQL. Prints why when it cannot.
_db_pg() {
  [ "$(id -u)" = 0 ] || { echo "== not root: PostgreSQL tests skipped"; return 1; }
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -q >/dev/null || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >/dev/null || return 1
  fi
  local ver
  ver=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
  [ -n "$ver" ] || { echo "== no PostgreSQL cluster found"; return 1; }
  pg_ctlcluster "$ver" main start 2>/dev/null || true
  for _ in $(seq 1 30); do su postgres -c "psql -tAc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" >/dev/null <<'SQL' || return 1
SET client_min_messages = warning;
DROP DATABASE IF EXISTS drawbridge_test;
DROP ROLE IF EXISTS drawbridge_test;
CREATE ROLE drawbridge_test LOGIN PASSWORD 'drawbridge-test';
CREATE DATABASE drawbridge_test OWNER drawbridge_test;
SQL
  export DRAWBRIDGE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:5432/drawbridge_test?user=drawbridge_test&password=drawbridge-test"
  echo "== PostgreSQL $ver ready for the PostgreSQL tests"
}
_db_pg || echo "== PostgreSQL unavailable: the PostgreSQL tests are skipped (they say so)"
