#!/bin/bash
# The mysql image's contract, served by MariaDB: on an empty /var/lib/mysql, initialise it with
# MYSQL_ROOT_PASSWORD (required), MYSQL_DATABASE, MYSQL_USER / MYSQL_PASSWORD (all privileges on that database),
# using a temporary server on a socket only (so that `mysqladmin ping -h 127.0.0.1` fails until the real server
# listens); then run the server. Arguments that start with '-' are server options (compose's `command:`).
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
    set -- mariadbd "$@"
fi
if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then
    exec "$@"
fi
shift
datadir=/var/lib/mysql

if [ ! -d "$datadir/mysql" ]; then
    : "${MYSQL_ROOT_PASSWORD:?is required (as by the mysql image)}"
    if [ -n "${MYSQL_USER:-}" ] && [ -z "${MYSQL_PASSWORD:-}" ]; then
        echo "MYSQL_USER is set without MYSQL_PASSWORD" >&2
        exit 1
    fi
    echo "[stand-in for mysql] initialising $datadir with MariaDB $(mariadbd --version | awk '{print $3}')"
    mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db --auth-root-authentication-method=normal >/dev/null
    socket=/run/mysqld/init.sock
    mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" "$@" &
    init_pid=$!
    for _ in $(seq 60); do
        mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 && break
        sleep 1
    done
    sql() { printf '%s\n' "$@" | mariadb --socket="$socket" -uroot; }
    esc() { printf '%s' "$1" | sed "s/'/''/g"; }
    sql "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(esc "$MYSQL_ROOT_PASSWORD")';" \
        "CREATE USER 'root'@'%' IDENTIFIED BY '$(esc "$MYSQL_ROOT_PASSWORD")';" \
        "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    socket_root() { printf '%s\n' "$@" | mariadb --socket="$socket" -uroot -p"$MYSQL_ROOT_PASSWORD"; }
    if [ -n "${MYSQL_DATABASE:-}" ]; then
        socket_root "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
    fi
    if [ -n "${MYSQL_USER:-}" ]; then
        socket_root "CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '$(esc "$MYSQL_PASSWORD")';"
        if [ -n "${MYSQL_DATABASE:-}" ]; then
            socket_root "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"
        fi
    fi
    socket_root "FLUSH PRIVILEGES;"
    kill "$init_pid"
    wait "$init_pid" || true
    echo "[stand-in for mysql] initialised"
fi
exec mariadbd --user=mysql --datadir="$datadir" "$@"
