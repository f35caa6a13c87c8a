"""Job locks: two runs of the same job at once are served one after the other. A transaction-level
advisory lock on PostgreSQL, released at commit or rollback; SQLite takes its write lock at the
start of every transaction, so there the database already serialises them."""

from django.db import connection


def job_lock(name: str) -> None:
    """Wait until no other transaction holds the job's lock, then hold it until this one ends.
    Call it inside the job's transaction, before the job reads what it will work on."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def job_try_lock(name: str) -> bool:
    """Take the job's lock if nobody holds it, without waiting: False when another run has it
    (that run does the work; this one has nothing to do)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [name])
        return cursor.fetchone()[0]
