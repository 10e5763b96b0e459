#!/bin/sh
# A throwaway PostgreSQL 15 in DIR, reachable only through a Unix socket in DIR (and, when
# PG_THROWAWAY_TCP_PORT is set, on 127.0.0.1 at that port). Trust authentication: for tests and
# the local stack only.
#
#   pg-throwaway.sh start DIR   start (or keep running) and print a libpq conninfo on stdout
#   pg-throwaway.sh stop DIR    stop if running; the data stay in DIR
#   pg-throwaway.sh conninfo DIR
#
# Idempotent: start twice, or after a crash, works. Every wait is bounded. PostgreSQL refuses to
# run as root, so under root the cluster belongs to the 'postgres' account (runuser).
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB=${PG_THROWAWAY_DB:-bugle}
WAIT_S=${PG_THROWAWAY_WAIT_S:-30}

usage() { echo "usage: $0 start|stop|conninfo DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

conninfo() {
	port=$(cat "$dir/port" 2>/dev/null || echo 5432)
	user=$(cat "$dir/user")
	echo "host=$dir port=$port dbname=$DB user=$user connect_timeout=5"
}

# A pid that is gone or a zombie (killed, not yet reaped) is not a running server.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)
	[ "$state" != Z ]
}

running() {
	[ -f "$dir/data/postmaster.pid" ] || return 1
	alive "$(head -1 "$dir/data/postmaster.pid")" || return 1
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

case "$cmd" in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		chmod 0755 "$dir"
		if ! runuser -u postgres -- test -w "$dir"; then
			echo "pg-throwaway: $dir is not reachable by user postgres (check its parents)" >&2
			exit 1
		fi
		echo postgres >"$dir/user"
	else
		id -un >"$dir/user"
	fi
	# The socket file is named after the port; each directory has its own socket, so the
	# default port never collides with another instance.
	port=5432
	[ -n "${PG_THROWAWAY_TCP_PORT:-}" ] && port=$PG_THROWAWAY_TCP_PORT
	echo "$port" >"$dir/port"
	if running; then
		conninfo
		exit 0
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		rm -rf "$dir/data"
		as_owner "$PGBIN/initdb" -D "$dir/data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
			-U "$(cat "$dir/user")" >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			exit 1
		}
	fi
	listen=""
	[ -n "${PG_THROWAWAY_TCP_PORT:-}" ] && listen=127.0.0.1
	# A crash can leave a stale postmaster.pid naming a pid now used by something else
	# (and its socket lock file), which would stop the new server from starting.
	if [ -f "$dir/data/postmaster.pid" ] && ! alive "$(head -1 "$dir/data/postmaster.pid")"; then
		rm -f "$dir/data/postmaster.pid"
	fi
	for lock in "$dir"/.s.PGSQL.*.lock; do
		[ -f "$lock" ] || continue
		if ! alive "$(head -1 "$lock")"; then
			rm -f "$lock" "${lock%.lock}"
		fi
	done
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t "$WAIT_S" \
		-o "-k $dir -p $port -c listen_addresses='$listen' -c fsync=off -c max_connections=100" \
		start >/dev/null || {
		tail -n 20 "$dir/postgres.log" >&2
		exit 1
	}
	user=$(cat "$dir/user")
	if ! as_owner "$PGBIN/psql" -h "$dir" -p "$port" -U "$user" -d postgres -tAq \
		-c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
		as_owner "$PGBIN/createdb" -h "$dir" -p "$port" -U "$user" "$DB"
	fi
	conninfo
	;;
stop)
	if running; then
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t "$WAIT_S" stop >/dev/null
	fi
	;;
conninfo)
	conninfo
	;;
*)
	usage
	;;
esac
