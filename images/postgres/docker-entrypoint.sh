#!/usr/bin/env bash
# The official postgres image's contract: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, PGDATA
# initialised only when empty, password (scram-sha-256) auth over TCP, /docker-entrypoint-initdb.d,
# server options as the command; the server runs as `postgres` and replaces this script as PID 1.
set -Eeuo pipefail

if [[ ${1:-} == -* ]]; then
    set -- postgres "$@"
fi
if [[ ${1:-} != postgres ]]; then
    exec "$@"
fi
# As in the official image: `postgres --version` and other queries that start no server skip setup.
for arg; do
    case $arg in
        '-?' | --help | --describe-config | -C | --version | -V) exec "$@" ;;
    esac
done

if [[ $(id -u) == 0 ]]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
    user=${POSTGRES_USER:-postgres}
    db=${POSTGRES_DB:-$user}
    if [[ -z ${POSTGRES_PASSWORD:-} ]]; then
        echo "error: the database is uninitialized and POSTGRES_PASSWORD is empty:" \
            "set it to a non-empty value (docker run -e POSTGRES_PASSWORD=...)" >&2
        exit 1
    fi
    initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
        --auth-local=trust --auth-host=scram-sha-256
    echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"

    pg_ctl --wait --options="-c listen_addresses=''" start
    if [[ $db != postgres ]]; then
        psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres --set=db="$db" \
            <<<'CREATE DATABASE :"db";'
    fi
    for file in /docker-entrypoint-initdb.d/*; do
        # shellcheck source=/dev/null
        case $file in
            *.sh) . "$file" ;;
            *.sql) psql -v ON_ERROR_STOP=1 --username="$user" --dbname="$db" --file="$file" ;;
        esac
    done
    pg_ctl --wait --mode=fast stop
fi

exec "$@"
