#!/usr/bin/env bash
# Installs the Debian packages a make target needs, when they are missing.
#
#   scripts/install-deps.sh build|test|bench
#
# libcmocka-dev is a build package: meson configures the unit tests with
# the build, so `make run` on a fresh machine needs it too.
#
# As root it runs apt-get itself; otherwise it prints the exact apt-get line
# to run and fails, so `make` stops with a clear message.
set -euo pipefail

build_pkgs=(gcc make meson ninja-build pkg-config libpcap-dev libyaml-dev libpcre2-dev libhyperscan-dev zlib1g-dev liblzma-dev libssl-dev publicsuffix libnetfilter-queue-dev libmnl-dev libcap-ng-dev libcmocka-dev)
test_pkgs=(python3 ethtool python3-yaml python3-pytest clang libclang-rt-14-dev iproute2 curl bind9-dnsutils dnsmasq-base iptables tshark)
bench_pkgs=(tcpreplay wireshark-common)

want=("${build_pkgs[@]}")
case "${1:-build}" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for pkg in "${want[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "odlar: missing Debian packages; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "odlar: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/dev/null; then
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
fi
