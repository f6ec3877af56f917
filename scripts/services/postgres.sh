#!/usr/bin/env bash
# Installs (once) and starts PostgreSQL, and creates the test role and database:
# user serai / password serai / database serai_test on 127.0.0.1:5432 (SERAI_TEST_POSTGRES in the tests).
set -euo pipefail

# Install when no server cluster exists (a machine may carry the client tools without the server).
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql
fi

version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
if [ -z "$version" ]; then
  echo "postgres.sh: no PostgreSQL cluster under /etc/postgresql" >&2
  exit 1
fi
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start || service postgresql start
fi

for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='serai'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role serai login password 'serai' createdb\""
su postgres -c "psql -qtAc \"select 1 from pg_database where datname='serai_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O serai serai_test"
echo "postgres.sh: PostgreSQL $version ready (serai/serai@127.0.0.1:5432/serai_test)"
