#!/usr/bin/env bash
# Installs (once) what Native AOT needs on Linux to link the native `serai` client (src/Serai.Cli.Native): clang and
# zlib's headers. The CLI tests publish the native client once (test/Serai.Cli.Tests/Live/NativeClient.cs).
set -euo pipefail
if ! command -v clang >/dev/null 2>&1 || [ ! -f /usr/include/zlib.h ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y clang zlib1g-dev \
    || { apt-get update && apt-get install -y clang zlib1g-dev; }
fi
