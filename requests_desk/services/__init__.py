"""The operations of the request desk, one module per subject. Every change to a request goes
through one of these functions: each checks the rules, runs in a transaction, locks the request
(`common.request_lock`), writes the timeline (`common.timeline_add`) and queues the letter the
change causes through the outbox (`requests_desk.outbox`), in that order.

- `intake`: taking a request in, correcting the requester's contact details;
- `status`: assigning, the identity check, the workflow's moves, extension, rejection, completion;
- `checklist`: ticking tasks off and on, recording what a system outside this application gave;
- `answer`: the whole answer before "done" (every system answered, or the officer's override);
- `letters`: previewing the letters, sending those without a decision by hand, the decision
  services' `letter_queue`, and the "to post" queue.
- `objection`: the officer's decision on a general objection (Art. 21(1)), with the balancing.

`by` is the user acting; None means the system itself (the public web form, a Celery job).
"""

from requests_desk.services.answer import (
    answer_override,
    answer_waiting_for,
    own_tasks_done,
    per_system_text,
    require_whole_answer,
)
from requests_desk.services.checklist import (
    task_complete,
    task_record_result,
    task_reopen,
    tasks_complete,
)
from requests_desk.services.common import (
    EXTEND,
    OVERRIDE,
    request_lock,
    timeline_add,
)
from requests_desk.services.intake import CONTACT_FIELDS, request_correct_contact, request_open
from requests_desk.services.letters import (
    SEND_FREE_TEXT,
    letter_preview,
    letter_queue,
    letter_send,
    outbox_letter_pdf,
    postal_letter_mark_posted,
    postal_letter_pdf,
)
from requests_desk.services.objection import DECIDE_OBJECTION, objection_decide
from requests_desk.services.status import (
    MAX_EXTENSION_MONTHS,
    request_assign,
    request_complete,
    request_extend,
    request_note,
    request_reject,
    request_transition,
    request_verify_identity,
)

__all__ = [
    "CONTACT_FIELDS",
    "DECIDE_OBJECTION",
    "EXTEND",
    "MAX_EXTENSION_MONTHS",
    "OVERRIDE",
    "SEND_FREE_TEXT",
    "answer_override",
    "answer_waiting_for",
    "own_tasks_done",
    "per_system_text",
    "require_whole_answer",
    "letter_preview",
    "letter_queue",
    "objection_decide",
    "letter_send",
    "outbox_letter_pdf",
    "postal_letter_mark_posted",
    "postal_letter_pdf",
    "request_assign",
    "request_complete",
    "request_correct_contact",
    "request_extend",
    "request_lock",
    "request_note",
    "request_open",
    "request_reject",
    "request_transition",
    "request_verify_identity",
    "task_complete",
    "task_record_result",
    "task_reopen",
    "tasks_complete",
    "timeline_add",
]
