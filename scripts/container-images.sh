#!/usr/bin/env bash
# Builds SpotifySync's images on a machine that reaches Debian's archive and NuGet but no container registry:
#   localhost/debian:bookworm       debootstrap (minbase), imported once
#   localhost/dotnet-sdk:10.0       stand-ins for mcr.microsoft.com/dotnet/{sdk,aspnet}:10.0, made of this machine's
#   localhost/dotnet-aspnet:10.0    own .NET (same layout, same non-root user 1654 and port 8080 as Microsoft's)
#   localhost/postgres:15           stand-in for postgres:15 (deploy/local/postgres)
#   localhost/spotifysync/{silo,api,spotify-emulator}
# The app images come from the same Dockerfiles users build with Docker; only the base images are passed in.
# Base images are built once and kept; the app images are rebuilt every time (layers cached).
# With Docker and registry access none of this is needed: `docker compose build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/container-engine.sh

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
has_image() { podman image exists "$1"; }

if ! has_image localhost/debian:bookworm; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  echo "== localhost/debian:bookworm (debootstrap, ~1 min)"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  tar -C "$rootfs" -c . | podman import -q - localhost/debian:bookworm >/dev/null
fi
if ! has_image localhost/dotnet-sdk:10.0; then
  echo "== localhost/dotnet-sdk:10.0 (from $dotnet_root)"
  podman build -q -t localhost/dotnet-sdk:10.0 -f deploy/local/sdk.Containerfile "$dotnet_root" >/dev/null
fi
if ! has_image localhost/dotnet-aspnet:10.0; then
  echo "== localhost/dotnet-aspnet:10.0 (from $dotnet_root)"
  podman build -q -t localhost/dotnet-aspnet:10.0 -f deploy/local/aspnet.Containerfile "$dotnet_root" >/dev/null
fi
if ! has_image localhost/postgres:15; then
  echo "== localhost/postgres:15"
  podman build -q -t localhost/postgres:15 deploy/local/postgres >/dev/null
fi

# The build restores from NuGet: it uses this machine's package cache (fast, and the same packages the tests ran
# with) and trusts what this machine trusts (some build machines reach NuGet through a TLS-inspecting proxy).
build_app() {
  local name=$1 dockerfile=$2
  echo "== localhost/spotifysync/$name"
  mkdir -p "$HOME/.nuget/packages"
  podman build -q -t "localhost/spotifysync/$name:latest" -f "$dockerfile" \
    --build-arg SDK_IMAGE=localhost/dotnet-sdk:10.0 --build-arg RUNTIME_IMAGE=localhost/dotnet-aspnet:10.0 \
    -v "$HOME/.nuget/packages:/root/.nuget/packages" -v /etc/ssl/certs:/etc/ssl/certs:ro . >/dev/null
}
build_app silo SpotifySync.Silo/Dockerfile
build_app api SpotifySync.Api/Dockerfile
build_app spotify-emulator tests/SpotifySync.SpotifyEmulator/Dockerfile
