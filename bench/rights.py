"""Rights benchmark: building the access package (Art. 15/20 ZIP) for a demo person and for a
heavy one, beside the floor of only reading the sources (no summary, no ZIP, no storage), and
erasing a person across every source.

    .venv/bin/python bench/rights.py [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/rights.py
"""

import datetime as dt
import os
import tempfile
import time

from harness import alternate, arguments, print_table, record, record_runs, setup_django


def main() -> None:
    runs = arguments(__doc__).parse_args().repeat
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-rights-")
    setup_django("rights")

    import io

    from django.core.management import call_command
    from django.utils import timezone

    from consents import demo as consents_demo
    from consents.models import ConsentPurpose
    from consents.services import consent_give, consent_withdraw, subject_get_or_create
    from requests_desk.services import request_open, request_verify_identity, task_complete
    from subject_rights.models import AccessPackage
    from subject_rights.services import erasure_carry_out, package_build
    from subject_rights.sources import Person, sources

    call_command("load_rezulto_register", verbosity=0, stdout=io.StringIO())
    consents_demo.load(stdout=io.StringIO())
    purposes = list(ConsentPurpose.objects.all())

    def person(email: str, cycles: int, past_requests: int):
        subject = subject_get_or_create(
            email=email, name="Demo Persoon", phone="06-12345678", organisation="OBS De Wilg"
        )
        start = timezone.now() - dt.timedelta(days=3 * 365)
        for i in range(cycles):
            for purpose in purposes:
                at = start + dt.timedelta(hours=i * 2 + 1)
                consent_give(subject=subject, purpose=purpose, method="web_form", occurred_at=at)
                consent_withdraw(
                    subject=subject,
                    purpose=purpose,
                    method="unsubscribe_link",
                    occurred_at=at + dt.timedelta(minutes=30),
                )
        for kind in (["objection_direct_marketing", "access"] * past_requests)[:past_requests]:
            request_open(
                kind=kind,
                channel="email",
                requester_name="Demo Persoon",
                requester_email=email,
                received_at=timezone.now(),
            )
        request = request_open(
            kind="access",
            channel="email",
            requester_name="Demo Persoon",
            requester_email=email,
            requester_phone="06-12345678",
            received_at=timezone.now(),
        )
        return request_verify_identity(request=request, method="email", by=None)

    cases = {
        f"demo person ({len(purposes)} purposes×4 cycles, 5 requests)": person(
            "demo@bench.example", 4, 5
        ),
        f"heavy person ({len(purposes)} purposes×200 cycles, 50 requests)": person(
            "heavy@bench.example", 200, 50
        ),
    }

    def remove_packages() -> None:
        for package in AccessPackage.objects.all():
            package.file.delete()
            package.delete()

    for label, request in cases.items():
        for task in request.tasks.filter(done_at__isnull=True):  # every system has answered
            task_complete(task=task, by=None)
        built = []

        def read_sources(request=request) -> None:
            for source in sources():
                source.export(Person.of_request(request))

        def build(request=request, built=built) -> None:
            built.append(package_build(request=request).size_bytes)

        seconds, floor = alternate(build, read_sources, repeat=runs, prepare=remove_packages)
        record_runs(
            "rights",
            f"access package, {label}: build (ms)",
            seconds,
            "read the sources only",
            floor,
            scale=1000,
        )
        record("rights", f"access package, {label}: size (kB)", built[-1] / 1024)
    erasure = request_open(
        kind="erasure",
        channel="email",
        requester_name="Demo Persoon",
        requester_email="heavy@bench.example",
        received_at=timezone.now(),
    )
    erasure = request_verify_identity(request=erasure, method="email", by=None)
    for task in erasure.tasks.filter(done_at__isnull=True):  # the other systems have erased
        task_complete(task=task, by=None)
    started = time.perf_counter()
    erasure_carry_out(request=erasure, by=None)
    record(
        "rights",
        "erase the heavy person in every source (ms)",
        (time.perf_counter() - started) * 1000,
    )
    print_table()


if __name__ == "__main__":
    main()
