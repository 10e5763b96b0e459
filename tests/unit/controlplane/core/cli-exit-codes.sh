#!/bin/sh
# bugle-controlplane's command line: exit 0 for --help and a valid --check-config, exit 2 with
# file:line: setting for a bad configuration, exit 2 for a bad option.
#   cli-exit-codes.sh BINARY EXAMPLE_INI
set -u
bin=$1
example=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # expected-code description command...
	want=$1; what=$2; shift 2
	"$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $what: exit $got, expected $want"; cat "$tmp/out"; fail=1
	else
		echo "ok: $what"
	fi
}
check 0 "--help" "$bin" --help
grep -q "postgres.conninfo" "$tmp/out" || { echo "FAIL: --help lacks the settings"; fail=1; }
check 0 "example config is valid" "$bin" -c "$example" --check-config
printf '[postgres]\n\npool_size = 1000\n' >"$tmp/bad.ini"
check 2 "out-of-range value" "$bin" -c "$tmp/bad.ini" --check-config
grep -q "$tmp/bad.ini:3: setting 'postgres.pool_size'" "$tmp/out" || {
	echo "FAIL: message lacks file:line: setting"; cat "$tmp/out"; fail=1; }
check 2 "bad --set" "$bin" --set log.level=loud --check-config
grep -q "log.level" "$tmp/out" || { echo "FAIL: message lacks the setting"; fail=1; }
check 2 "missing file" "$bin" -c "$tmp/none.ini"
check 2 "unknown option" "$bin" --frobnicate
exit $fail
