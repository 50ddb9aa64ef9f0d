# Sourced by test.sh after bin/test-deps.sh (which installs PostgreSQL when root): starts Debian's PostgreSQL and
# exports DRAWBRIDGE_TEST_PG_URL for the tests that run the schema and stores on a real PostgreSQL. Prints why when
# it cannot (those tests then say they are skipped). A DRAWBRIDGE_TEST_PG_URL already set is used as it is.
_db_pg() {
  if [ -n "${DRAWBRIDGE_TEST_PG_URL:-}" ]; then echo "== PostgreSQL tests use the DRAWBRIDGE_TEST_PG_URL given"; return 0; fi
  [ "$(id -u)" = 0 ] || { echo "== not root: PostgreSQL tests skipped (or set DRAWBRIDGE_TEST_PG_URL to a database of yours)"; return 1; }
  command -v pg_lsclusters >/dev/null 2>&1 || { echo "== PostgreSQL is not installed"; return 1; }
  local ver
  ver=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
  [ -n "$ver" ] || { echo "== no PostgreSQL cluster found"; return 1; }
  pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do su postgres -c "psql -tAc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" >/dev/null <<'SQL' || return 1
SET client_min_messages = warning;
DROP DATABASE IF EXISTS drawbridge_test;
-- The role stays (other local databases may belong to it); its password is set to the tests' own.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'drawbridge_test') THEN
    CREATE ROLE drawbridge_test LOGIN PASSWORD 'drawbridge-test';
  ELSE
    ALTER ROLE drawbridge_test LOGIN PASSWORD 'drawbridge-test';
  END IF;
END $$;
CREATE DATABASE drawbridge_test OWNER drawbridge_test;
SQL
  export DRAWBRIDGE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:5432/drawbridge_test?user=drawbridge_test&password=drawbridge-test"
  echo "== PostgreSQL $ver ready for the PostgreSQL tests"
}
_db_pg || echo "== PostgreSQL unavailable: the PostgreSQL tests are skipped (they say so)"
