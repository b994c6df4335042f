#!/usr/bin/env bash
# Installs the system libraries zkit needs, when they are missing.
#
#   scripts/deps.sh build   libzmq (with headers), pkg-config and a C compiler
#   scripts/deps.sh test    the above plus the interop peers (CZMQ, pyzmq) and
#                           iproute2 for the network-namespace tests
#
# On Debian/Ubuntu it uses apt-get (through sudo when not root). Elsewhere it
# prints what to install and exits non-zero.
set -euo pipefail

mode=${1:-build}
case "$mode" in
  build|test) ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }

command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || missing+=(gcc)
have_pc libzmq || missing+=(libzmq3-dev)
if [ "$mode" = test ]; then
  have_pc libczmq || missing+=(libczmq-dev)
  if ! { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import zmq' >/dev/null 2>&1; }; then
    missing+=(python3-zmq)
  fi
  command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "zkit: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "zkit: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  exit 0
fi

cat >&2 <<MSG
zkit: missing system packages: ${missing[*]}
This script installs them with apt-get on Debian/Ubuntu. On other systems:
  macOS (Homebrew):  brew install zeromq czmq pkg-config      (tests: pip3 install pyzmq)
  Fedora/RHEL (dnf): sudo dnf install zeromq-devel czmq-devel pkgconf-pkg-config gcc python3-zmq
  Arch (pacman):     sudo pacman -S zeromq czmq pkgconf gcc python-pyzmq
Then run the make target again.
MSG
exit 1
