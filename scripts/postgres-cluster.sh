#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: Debian's binaries, a temp dir,
# 127.0.0.1 on a free port, the socket in that dir, no fsync, trust auth on loopback only.
# Nothing is written outside the temp dir; `stop` removes it.
#
#   eval "$(scripts/postgres-cluster.sh start)"   # exports PASIS_TEST_DATABASE_URL and PASIS_PG_DIR
#   pnpm exec vitest run --project postgres
#   scripts/postgres-cluster.sh stop "$PASIS_PG_DIR"
#
# initdb refuses to run as root: as root, the cluster's commands run as the `postgres` user
# (created by Debian's postgresql package) through runuser.
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres-cluster: no PostgreSQL under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    exit 1
  fi
  printf '%s' "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pasis-pg.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  }
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || {
    cat "$dir/server.log" >&2
    rm -rf "$dir"
    exit 1
  }
  printf 'export PASIS_TEST_DATABASE_URL=%q\n' "postgres://postgres@127.0.0.1:$port/postgres"
  printf 'export PASIS_PG_DIR=%q\n' "$dir"
}

stop() {
  local dir=${1:?usage: postgres-cluster.sh stop DIR}
  case "$dir" in */pasis-pg.*) ;; *) echo "postgres-cluster: not a cluster dir: $dir" >&2; exit 1 ;; esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
