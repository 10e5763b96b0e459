#!/usr/bin/env bash
# Sets up and passes the tests on a fresh Debian machine (as root):
#   1. installs every package the build and the tests need,
#   2. builds the release tree with gcc (-Werror) into build/,
#   3. builds the test tree with clang under AddressSanitizer + UBSan, with the fuzz targets,
#      into build-test/, and runs every test there: unit, fuzz (bounded) and end to end (real
#      daemons, PostgreSQL, RabbitMQ and sipp in network namespaces).
# Exits non-zero on any failure; the last lines are ctest's summary.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
jobs=${BUGLE_JOBS:-$(nproc)}

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
./deploy/install-deps.sh

# A stack left running by the quickstart would hold the test network and ports.
if [ -x deploy/stack.sh ] && deploy/stack.sh status >/dev/null 2>&1; then
  step "stopping the running stack"
  deploy/stack.sh down
fi

step "release build (gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

step "test build (clang, address + undefined sanitizers, fuzz targets)"
CC=clang cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug \
  -DBUGLE_SANITIZE=address,undefined -DBUGLE_FUZZ=ON -DBUGLE_BENCH=OFF >/dev/null
cmake --build build-test -j"$jobs"

step "tests"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-test --output-on-failure --timeout 900 -j1
