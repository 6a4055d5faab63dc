# shellcheck shell=bash
# Sourced by .ci/run (under set -euo pipefail). Makes sqlstore's tests run
# against every SQL engine this machine offers:
#
#   OAUTHREG_TEST_POSTGRES  PostgreSQL on 127.0.0.1:5432, user postgres, trust auth
#   OAUTHREG_TEST_MYSQL     MariaDB/MySQL on 127.0.0.1:3306, root, empty password
#
# A server that is installed but stopped is started with its usual command,
# and waited for (bounded). A variable is exported only when its server
# answers; a variable already set by the caller is kept. SQLite needs no
# server and is always tested. This file never fails the run: whatever goes
# wrong only means an engine is skipped, and it says so.

_oauthreg_timeout() { # run "$@" with a time limit when timeout(1) exists
  if command -v timeout >/dev/null 2>&1; then timeout 10 "$@"; else "$@"; fi
}

_oauthreg_pg_up() {
  if command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=3 _oauthreg_timeout psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -w -Atqc 'SELECT 1' >/dev/null 2>&1
  elif command -v pg_isready >/dev/null 2>&1; then
    _oauthreg_timeout pg_isready -q -h 127.0.0.1 -p 5432 -t 3 >/dev/null 2>&1
  else
    _oauthreg_timeout bash -c 'exec 3<>/dev/tcp/127.0.0.1/5432' >/dev/null 2>&1
  fi
}

_oauthreg_mysql_up() {
  if command -v mysqladmin >/dev/null 2>&1; then
    _oauthreg_timeout mysqladmin -h 127.0.0.1 -P 3306 -u root --connect-timeout=3 ping >/dev/null 2>&1
  elif command -v mariadb-admin >/dev/null 2>&1; then
    _oauthreg_timeout mariadb-admin -h 127.0.0.1 -P 3306 -u root --connect-timeout=3 ping >/dev/null 2>&1
  else
    _oauthreg_timeout bash -c 'exec 3<>/dev/tcp/127.0.0.1/3306' >/dev/null 2>&1
  fi
}

# _oauthreg_wait NAME CHECK: poll CHECK for up to 30 s.
_oauthreg_wait() {
  local i
  for i in $(seq 1 30); do
    if "$2"; then return 0; fi
    sleep 1
  done
  echo "   $1 did not answer within 30 s"
  return 1
}

_oauthreg_start_pg() {
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  [ -d /etc/postgresql ] || return 1
  local v started=1
  for v in /etc/postgresql/*/; do
    v=$(basename "$v")
    [ -d "/etc/postgresql/$v/main" ] || continue
    echo "   starting PostgreSQL $v (pg_ctlcluster $v main start)"
    if _oauthreg_timeout pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 ||
      _oauthreg_timeout pg_ctlcluster "$v" main start >/dev/null 2>&1; then
      started=0
    fi
  done
  return "$started"
}

_oauthreg_start_mysql() {
  local bin=""
  if [ -x /usr/sbin/mariadbd ]; then bin=/usr/sbin/mariadbd
  elif [ -x /usr/sbin/mysqld ]; then bin=/usr/sbin/mysqld
  else return 1
  fi
  mkdir -p /run/mysqld 2>/dev/null || true
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  if command -v start-stop-daemon >/dev/null 2>&1; then
    echo "   starting $bin (start-stop-daemon)"
    start-stop-daemon --start --oknodo --background --exec "$bin" >/dev/null 2>&1
  elif command -v service >/dev/null 2>&1; then
    echo "   starting MariaDB/MySQL (service mariadb start)"
    _oauthreg_timeout service mariadb start >/dev/null 2>&1 || _oauthreg_timeout service mysql start >/dev/null 2>&1
  else
    return 1
  fi
}

_oauthreg_databases() {
  local engines="sqlite"
  echo "== SQL engines for sqlstore's tests"

  if [ -n "${OAUTHREG_TEST_POSTGRES:-}" ]; then
    echo "   PostgreSQL: OAUTHREG_TEST_POSTGRES already set"
    engines="$engines, postgres"
  elif _oauthreg_pg_up || { _oauthreg_start_pg && _oauthreg_wait PostgreSQL _oauthreg_pg_up; }; then
    export OAUTHREG_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
    engines="$engines, postgres"
  else
    echo "   PostgreSQL: no server answers on 127.0.0.1:5432 (user postgres); its tests will skip"
  fi

  if [ -n "${OAUTHREG_TEST_MYSQL:-}" ]; then
    echo "   MySQL/MariaDB: OAUTHREG_TEST_MYSQL already set"
    engines="$engines, mysql"
  elif _oauthreg_mysql_up || { _oauthreg_start_mysql && _oauthreg_wait MariaDB _oauthreg_mysql_up; }; then
    export OAUTHREG_TEST_MYSQL='root@tcp(127.0.0.1:3306)/test'
    engines="$engines, mysql"
  else
    echo "   MySQL/MariaDB: no server answers on 127.0.0.1:3306 (user root); its tests will skip"
  fi

  echo "   sqlstore will be tested on: $engines"
}

_oauthreg_databases || echo "   (checking the SQL servers failed; PostgreSQL and MySQL tests may skip)"
unset -f _oauthreg_timeout _oauthreg_pg_up _oauthreg_mysql_up _oauthreg_wait _oauthreg_start_pg _oauthreg_start_mysql _oauthreg_databases
