#!/usr/bin/env bash
# Restore a dump from ops/backup.sh into a NEW PostgreSQL database (an existing one is refused,
# so a restore never overwrites live data), then verify the consent ledger's hash chain there.
# Exits non-zero when the restore fails or the ledger does not verify.
#
#   ops/restore.sh <file> postgres://user@host:port/new_database
#
# Point DATABASE_URL at the new database once it has verified.
set -euo pipefail
file=${1:?the dump file}
target=${2:?the postgres:// URL of the new database}
server=${target%/*}
name=${target##*/}
name=${name%%\?*}
cd "$(dirname "$0")/.."
psql "$server/postgres" --quiet -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\""
pg_restore --no-owner --exit-on-error --dbname "$target" "$file"
DATABASE_URL=$target .venv/bin/python manage.py verify_consent_ledger
