#!/usr/bin/env bash
# Sourced by the container scripts: makes sure podman (with runc), debootstrap and docker-compose are installed
# (Debian's packages, when root with apt-get; a clear message otherwise) and points podman at the project's
# containers.conf (runc, no default rlimits: see deploy/podman/containers.conf) through CONTAINERS_CONF.
# Exports CONTAINERS_CONF and defines `podman_` (podman with that configuration).

container_engine_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CONTAINERS_CONF="$container_engine_root/deploy/podman/containers.conf"

missing=()
for tool in podman runc debootstrap docker-compose; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (Debian packages podman runc debootstrap docker-compose)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap docker-compose >&2
  else
    cat >&2 <<MSG
missing: ${missing[*]}
  Debian/Ubuntu, as root: apt-get install podman runc debootstrap docker-compose
  (the container scripts run rootful podman: run them as root)
MSG
    exit 1
  fi
fi
if [ "$(id -u)" != 0 ]; then
  echo "the container scripts run rootful podman (bridge networks, kill, disconnect): run them as root" >&2
  exit 1
fi
