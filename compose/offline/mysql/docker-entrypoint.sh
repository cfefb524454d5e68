#!/bin/bash
# The official mysql image's contract, for both database images of the offline set: MySQL itself (this directory) and
# MariaDB standing in for it (compose/offline/mariadb: the build copies this file in). On an empty /var/lib/mysql,
# initialise it (MySQL: mysqld --initialize-insecure; MariaDB: mariadb-install-db) with MYSQL_ROOT_PASSWORD (required
# here; the image's MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD are not offered), MYSQL_DATABASE,
# MYSQL_USER / MYSQL_PASSWORD (ALL on that database and nothing else), using a temporary server on the socket only
# (--skip-networking: `mysqladmin ping -h 127.0.0.1` fails until the real server listens); then run the server.
# Arguments that start with '-' are server options (compose's `command:`), given to the temporary server too.
set -euo pipefail

if command -v mariadbd >/dev/null; then
    server=mariadbd client=mariadb admin=mariadb-admin says="[stand-in for mysql]" socket=/run/mysqld/init.sock
    product() { echo "MariaDB $(mariadbd --version | awk '{print $3}')"; }
    initialise() {
        mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
            --auth-root-authentication-method=normal >/dev/null
    }
else
    server=mysqld client=mysql admin=mysqladmin says="[mysql entrypoint]" socket=/var/run/mysqld/init.sock
    product() { mysqld --version; }
    initialise() { mysqld --initialize-insecure --user=mysql --datadir="$datadir" "$@"; }
fi

if [ "${1:0:1}" = '-' ]; then
    set -- "$server" "$@"
fi
if [ "$1" != mysqld ] && [ "$1" != mariadbd ]; then
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
    echo "$says initialising $datadir with $(product)"
    initialise "$@"
    "$server" --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" "$@" &
    init_pid=$!
    for _ in $(seq 60); do
        "$admin" --socket="$socket" -uroot ping >/dev/null 2>&1 && break
        sleep 1
    done
    esc() { printf '%s' "$1" | sed "s/'/''/g"; }
    sql() { printf '%s\n' "$@" | "$client" --socket="$socket" -uroot; }
    sql "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(esc "$MYSQL_ROOT_PASSWORD")';" \
        "CREATE USER 'root'@'%' IDENTIFIED BY '$(esc "$MYSQL_ROOT_PASSWORD")';" \
        "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    socket_root() { printf '%s\n' "$@" | MYSQL_PWD="$MYSQL_ROOT_PASSWORD" "$client" --socket="$socket" -uroot; }
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
    echo "$says initialised"
fi
exec "$server" --user=mysql --datadir="$datadir" "$@"
