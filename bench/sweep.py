"""Sweep benchmark: the reminder and close-out jobs over many open requests and a million data
subjects, timed, with their query counts — which must not grow with the number of requests (the
script runs the jobs at two sizes and prints both).

    .venv/bin/python bench/sweep.py [--requests 100000] [--subjects 1000000] [--repeat 3]

Rows are generated in SQL (a recursive CTE), so a million subjects take seconds, not minutes.
Per size: the same 500 requests are within the reminder window and the same 50 are verified
objections to direct marketing, ready to be closed out — the work is constant, the haystack grows.
(A job's queries do grow with the work itself: bulk inserts go in batches.) Every run of a job
starts from freshly generated rows (untimed), since a job's first run leaves nothing for a second.
"""

import time

from harness import alternate, arguments, print_table, record, record_runs, setup_django

READY = 50


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    args = parser.parse_args()
    setup_django("sweep")

    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.roles import PRIVACY_OFFICER, setup_roles
    from requests_desk import jobs
    from requests_desk.models import DataSubjectRequest, OutboxMessage, Reminder, RequestEvent

    setup_roles()
    officer, _ = User.objects.get_or_create(username="bench-officer", email="po@bench.example")
    officer.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    today = timezone.localdate()
    now = timezone.now()

    def fill(requests: int, subjects: int) -> None:
        with transaction.atomic():
            for model in (Reminder, OutboxMessage, RequestEvent, DataSubjectRequest):
                model.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM consents_datasubject")
                cursor.execute(
                    "INSERT INTO consents_datasubject (email, email_hash, name, phone, "
                    "phone_e164, organisation, function, is_restricted, created_at) "
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
                    "SELECT 's' || i || '@bench.example', 'h' || i, '', '', '', '', '', %s, %s "
                    "FROM n",
                    [subjects, False, now],
                )
                cursor.execute("SELECT MIN(id) FROM consents_datasubject")
                first = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO requests_desk_datasubjectrequest (reference, kind, channel, "
                    "requester_name, requester_email, requester_phone, requester_address, "
                    "description, subject_id, received_at, due_on, target_on, status, "
                    "identity_status, identity_method, extension_reason, outcome, created_at, "
                    "requester_phone_e164, objection_decision, objection_balancing, "
                    "attention_reason) "
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
                    "SELECT 'B-' || i, CASE WHEN i <= %s THEN 'objection_direct_marketing' "
                    "ELSE 'access' END, 'email', 'R', 's' || i || '@bench.example', '', '', '', "
                    "%s + (i %% %s), %s, CASE WHEN i BETWEEN 51 AND 550 THEN %s ELSE %s END, "
                    "CASE WHEN i BETWEEN 51 AND 550 THEN %s ELSE %s END, 'in_progress', "
                    "CASE WHEN i <= %s THEN 'verified' ELSE 'unverified' END, "
                    "CASE WHEN i <= %s THEN 'email' ELSE '' END, '', '', %s, '', '', '', '' "
                    "FROM n",
                    [
                        requests,
                        READY,
                        first,
                        subjects,
                        now,
                        today + timezone.timedelta(days=2),
                        today + timezone.timedelta(days=40),
                        today + timezone.timedelta(days=2),
                        today + timezone.timedelta(days=35),
                        READY,
                        READY,
                        now,
                    ],
                )

    for requests, subjects in [
        (args.requests // 10, args.subjects),
        (args.requests, args.subjects),
    ]:
        start = time.perf_counter()
        fill(requests, subjects)
        record(
            "sweep",
            f"generate {requests:,} requests + {subjects:,} subjects (s)",
            time.perf_counter() - start,
        )
        for name, job in [
            ("reminders", lambda: jobs.reminders_send(today=today)),
            ("close-out", lambda: jobs.requests_close_out(now=now)),
        ]:
            runs, _ = alternate(
                job, repeat=args.repeat, prepare=lambda r=requests, s=subjects: fill(r, s)
            )
            record_runs("sweep", f"{name}, {requests:,} open requests (s)", runs)
            fill(requests, subjects)
            connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
            with CaptureQueriesContext(connection) as queries:
                job()
            record(
                "sweep",
                f"{name}, {requests:,} open requests: queries",
                len(queries.captured_queries),
            )
    print_table()


if __name__ == "__main__":
    main()
