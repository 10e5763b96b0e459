#!/usr/bin/env bash
# A bad configuration stops either daemon at start-up with exit code 2 and a message that
# names the file, the line and the setting; --help lists every setting.
. "$(dirname "$0")/lib.sh"

# expect_config_error PROGRAM CONFIG-TEXT EXPECTED-MESSAGE [ARGS...]
expect_config_error() {
  local prog=$1 text=$2 want=$3; shift 3
  local ini="$T_DIR/bad.ini" rc=0
  printf '%b' "$text" > "$ini"
  timeout 30 "$BUILD/$prog" -c "$ini" "$@" >"$T_DIR/out.txt" 2>&1 || rc=$?
  local msg=${want//@INI@/$ini}
  if [ $rc -eq 2 ] && grep -qF -- "$msg" "$T_DIR/out.txt"; then
    ok "$prog: '$msg'"
  else
    fail "$prog exited $rc, wanted 2 and '$msg'; it said: $(head -c 400 "$T_DIR/out.txt")"
  fi
}

for prog in bugle-dataplane bugle-controlplane; do
  expect_config_error "$prog" "[log]\nlevel = info\nlevel = debug\n" \
    "@INI@:3: setting 'log.level': already set on line 2"
  expect_config_error "$prog" "[log]\n# comment\nformat = xml\n" \
    "@INI@:3: setting 'log.format': 'xml' is not one of"
  expect_config_error "$prog" "[nosuchsection]\n" "@INI@:1: unknown section [nosuchsection]"
  expect_config_error "$prog" "[log]\nlevle = info\n" "@INI@:2: setting 'log.levle': unknown setting"
  expect_config_error "$prog" "loose = 1\n" "@INI@:1: 'loose' is outside any [section]"
  expect_config_error "$prog" "[log]\n" "setting 'log.format': 'yaml' is not one of" --set log.format=yaml

  rc=0; "$BUILD/$prog" -c "$T_DIR/does-not-exist.ini" >"$T_DIR/out.txt" 2>&1 || rc=$?
  check "$prog: a missing file is named (exit $rc)" \
    bash -c "[ $rc -eq 2 ] && grep -qF '$T_DIR/does-not-exist.ini' '$T_DIR/out.txt'"

  rc=0; "$BUILD/$prog" --help >"$T_DIR/help.txt" 2>&1 || rc=$?
  check "$prog --help exits 0 and lists log.level with its default" \
    bash -c "[ $rc -eq 0 ] && grep -E '^ +log\.level +enum +default: info' '$T_DIR/help.txt' >/dev/null"
done

expect_config_error bugle-dataplane "[dataplane]\nworkers = 99\n" \
  "@INI@:2: setting 'dataplane.workers': 99 is out of range"
expect_config_error bugle-controlplane "[api]\nlisten = 127.0.0.1:8000\nmax_body_bytes = -5\n" \
  "@INI@:3: setting 'api.max_body_bytes': -5 is out of range"
finish
