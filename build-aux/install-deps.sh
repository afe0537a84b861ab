#!/usr/bin/env bash
# install-deps.sh: install the Debian 12 packages Verdict needs to build, run and test.
#
# Only packages that are missing are installed, so a second run takes a second.
# Usage: build-aux/install-deps.sh [run|test|bench]
set -euo pipefail

packages=(
  gcc libc6-dev pkgconf meson ninja-build libxml2-utils
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev
  libmd4c-dev libsodium-dev
  libpq-dev
  libgtksourceview-5-dev
  libglib2.0-bin libglib2.0-dev-bin gettext desktop-file-utils appstream
  xvfb xauth dbus-daemon dbus-x11 at-spi2-core
)
# WebP attachments: gdk-pixbuf's loader (without it they show a placeholder).
packages+=(webp-pixbuf-loader)
if [ "${1:-test}" = test ]; then
  packages+=(sqlite3 python3-gi gir1.2-atspi-2.0 xdotool)
  # Signatures checked by other tools: minisign and PyNaCl.
  packages+=(minisign python3-nacl)
  # The team backend's tests: a throwaway PostgreSQL 15 cluster
  # (build-aux/pg-test-cluster) and psql.
  packages+=(postgresql-15 postgresql-client-15 postgresql-common)
  # The LangGraph.js round trip (tests/interop/langgraph): node and npm.
  # A node that brings its own npm (NodeSource's) conflicts with Debian's
  # npm package, so each is installed only when its command is missing.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi
# The benchmark's references and measures: the sqlite3 CLI and GNU time.
if [ "${1:-test}" = test ] || [ "${1:-}" = bench ]; then
  packages+=(sqlite3 time python3)
fi
# The fuzz targets: clang with its libFuzzer and sanitizer runtimes.
if [ "${1:-test}" = test ] || [ "${1:-}" = fuzz ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
