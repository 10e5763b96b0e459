#!/usr/bin/env bash
# Installs every Debian package that the build, the stack, the tests and the benchmarks need.
# Idempotent and non-interactive: packages already present are left alone.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev python3 git
  # data plane
  dpdk dpdk-dev libdpdk-dev libnuma-dev libpcap-dev
  libsrtp2-dev libipsec-mb-dev libspandsp-dev libbcg729-dev libopus-dev libsndfile1-dev libspeexdsp-dev
  libavcodec-dev libavutil-dev libswresample-dev
  # control channel
  protobuf-compiler nanopb libnanopb-dev python3-protobuf libprotobuf-c-dev protobuf-c-compiler
  # control plane
  libosip2-dev librabbitmq-dev libpq-dev libuv1-dev libjansson-dev libmicrohttpd-dev
  libsodium-dev libcurl4-openssl-dev libssl-dev libpcre2-dev tzdata
  # tests
  libcmocka-dev iproute2 iputils-ping arping ethtool tcpdump tshark jq curl procps psmisc netcat-openbsd
  amqp-tools
  # real components started by deploy/
  postgresql postgresql-contrib rabbitmq-server sip-tester baresip
  # peers and reporting for bench/
  wrk gnuplot-nox kamailio rtpengine-daemon nginx-light
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Services must not auto-start from the package's postinst: deploy/ starts its own instances.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
trap '[ $created_policy -eq 1 ] && $SUDO rm -f "$policy"' EXIT

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
echo "install-deps: done"
