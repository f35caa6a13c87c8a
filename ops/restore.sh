#!/usr/bin/env bash
# Restore a dump from ops/backup.sh into a NEW PostgreSQL database (an existing one is refused,
# so a restore never overwrites live data), bring its schema up to this code's migrations, replay
# the erasures made since the backup, then verify the consent ledger there (keys and store: the
# same environment as the application).
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
# A backup taken before the last release has the schema of then, and the replay below is this
# code (it writes columns a later migration added): migrate first, as a deploy would.
DATABASE_URL=$target .venv/bin/python manage.py migrate --no-input
# Erasures made after the backup are recorded outside the database (LEDGER_STORE_ROOT, or the
# configured `ledger` storage): carry them out again before anyone uses the restored data.
DATABASE_URL=$target .venv/bin/python manage.py replay_erasures
DATABASE_URL=$target .venv/bin/python manage.py verify_consent_ledger
