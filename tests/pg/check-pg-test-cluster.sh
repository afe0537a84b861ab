#!/usr/bin/env bash
# check-pg-test-cluster.sh: run by build-aux/pg-test-cluster; checks the
# cluster it made: the superuser on the socket without a password, no
# password-less login over 127.0.0.1, SCRAM for a role with a password, and
# stop-server / start-server.
set -euo pipefail

cluster=$1

fail() {
  echo "not ok: $*" >&2
  exit 1
}

for v in VERDICT_TEST_PG VERDICT_TEST_PG_HOST VERDICT_TEST_PG_PORT VERDICT_TEST_PG_SUPERUSER \
  VERDICT_TEST_PG_DATA VERDICT_TEST_PG_BINDIR; do
  [ -n "${!v:-}" ] || fail "$v is not set"
done

psql_su() {
  psql -X -q -v ON_ERROR_STOP=1 -At "$VERDICT_TEST_PG" "$@" </dev/null
}

[ "$(psql_su -c 'select 1')" = 1 ] || fail "select 1 as the superuser"
[ "$(psql_su -c 'show server_version_num')" -ge 150000 ] || fail "not PostgreSQL 15"
[ "$(psql_su -c 'show password_encryption')" = scram-sha-256 ] || fail "password_encryption"
echo "ok: select 1 on the socket"

tcp="host=127.0.0.1 port=$VERDICT_TEST_PG_PORT dbname=postgres"
if PGPASSWORD= psql -X -w -At "$tcp user=$VERDICT_TEST_PG_SUPERUSER" -c 'select 1' \
  </dev/null >/dev/null 2>&1; then
  fail "the superuser logged in over TCP without a password"
fi
echo "ok: no trust over 127.0.0.1"

psql_su -c "create role vd_probe login password 'probe-secret'"
[ "$(psql_su -c "select rolpassword like 'SCRAM-SHA-256\$%' from pg_authid where rolname = 'vd_probe'")" = t ] ||
  fail "the password is not stored as SCRAM"
[ "$(PGPASSWORD=probe-secret psql -X -w -At "$tcp user=vd_probe" -c 'select current_user' </dev/null)" = vd_probe ] ||
  fail "SCRAM login over TCP"
if PGPASSWORD=wrong psql -X -w -At "$tcp user=vd_probe" -c 'select 1' </dev/null >/dev/null 2>&1; then
  fail "a wrong password was accepted"
fi
if PGPASSWORD=wrong psql -X -w -At "host=$VERDICT_TEST_PG_HOST port=$VERDICT_TEST_PG_PORT dbname=postgres user=vd_probe" \
  -c 'select 1' </dev/null >/dev/null 2>&1; then
  fail "a wrong password was accepted on the socket"
fi
echo "ok: SCRAM on 127.0.0.1 and the socket"

"$cluster" stop-server
if psql_su -c 'select 1' >/dev/null 2>&1; then
  fail "the server still answers after stop-server"
fi
"$cluster" start-server
[ "$(psql_su -c 'select 1')" = 1 ] || fail "select 1 after start-server"
echo "ok: stop-server and start-server"
