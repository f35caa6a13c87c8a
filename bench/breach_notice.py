"""Breach notice benchmark: queueing the notice to N people through `notice_send` (the service:
lock, checks, one personalised outbox row each, the timeline), beside the floor — a bare
`bulk_create` of the same N outbox rows with the same body — and the queries each took.

    .venv/bin/python bench/breach_notice.py [--people 50000] [--repeat 3]
"""

from harness import alternate, arguments, print_table, record, record_runs, setup_django


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    setup_django("breach_notice")

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.roles import PRIVACY_OFFICER, setup_roles
    from breaches.models import Decision, PeopleNotice
    from breaches.services import assessment_update, breach_report, notice_draft, notice_send
    from requests_desk.models import OutboxKind, OutboxMessage

    call_command("load_rezulto_register", verbosity=0)
    setup_roles()
    officer, _ = User.objects.get_or_create(username="bench-officer", email="po@bench.example")
    officer.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    officer = User.objects.get(pk=officer.pk)  # a fresh permission cache
    breach = breach_report(
        title="Bench",
        what_happened="Bench.",
        aware_at=timezone.now(),
        how_found="staff",
        cause="hack",
        by=officer,
    )
    assessment_update(breach=breach, decision=Decision.HIGH_RISK, reasoning="Bench.", by=officer)
    subject, body = notice_draft(breach=breach)
    people = [(f"p{i}@bench.example", f"Persoon {i}") for i in range(args.people)]
    # Measure the queueing, not the broker: the hand-over to the workers at commit is held back.
    import breaches.tasks

    breaches.tasks.send_notice_batch = type("Held", (), {"delay": staticmethod(lambda ids: None)})

    def floor() -> None:
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    to=email,
                    letter_kind=OutboxKind.BREACH_NOTICE,
                    subject=subject,
                    body=body.replace("{naam}", name),
                    dedupe_key=f"floor:{email}",
                )
                for email, name in people
            ],
            batch_size=5000,
        )

    def measured() -> None:
        notice_send(
            breach=breach, subject=subject, body=body, people=people, source="bench", by=officer
        )

    def prepare() -> None:
        # Each run starts without the notices of the previous one (a notice goes once a person).
        OutboxMessage.objects.all().delete()
        PeopleNotice.objects.all().delete()

    service, bulk = alternate(measured, floor, repeat=args.repeat, prepare=prepare)
    record_runs(
        "breach_notice",
        f"queue a notice to {args.people:,} people (s)",
        service,
        "bulk_create floor",
        bulk,
    )
    prepare()
    connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
    with CaptureQueriesContext(connection) as queries:
        measured()
    record(
        "breach_notice",
        f"queue a notice to {args.people:,} people: queries",
        len(queries.captured_queries),
    )
    print_table()


if __name__ == "__main__":
    main()
