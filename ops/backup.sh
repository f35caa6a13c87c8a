#!/usr/bin/env bash
# Back up the PostgreSQL database that DATABASE_URL names, as one custom-format dump (pg_dump -Fc:
# schema, data, the ledger's triggers). Prints the file's name.
#
#   DATABASE_URL=postgres://… ops/backup.sh [file]
#
# Default file: var/backups/privacy-office-<UTC time>.dump. Keep the dumps where the database is
# not, and test a restore regularly (ops/restore.sh does one and verifies the ledger).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the postgres:// database to back up}"
file=${1:-var/backups/privacy-office-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$file")"
pg_dump --format=custom --no-owner --file "$file" "$DATABASE_URL"
echo "$file"
