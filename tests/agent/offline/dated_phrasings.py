"""Chat phrasings for task details, checked through the real tools at a fixed message time.

Every message is sent from Europe/Berlin on Friday 2026-10-23 at 10:00 local (08:00 UTC), two
days before the clocks go back (Sunday 25 October), so "next friday at 9" is at +01:00 while
"tomorrow at 5pm" is at +02:00. `expect` is either the one task the message adds (title and
every detail it should have; details not named must stay empty), or {number: details} for the
seeded tasks it changes, or {} for a question, whose reply must name `says` and not `not_says`.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ZONE = "Europe/Berlin"
SENT = datetime(2026, 10, 23, 8, 0, tzinfo=UTC)  # Friday 10:00 in Berlin
# The seeded list: number -> (title, details). Task 2 is overdue, task 3 due today.
SEED: dict[int, tuple[str, dict[str, Any]]] = {
    1: ("buy milk", {"list": "groceries"}),
    2: ("call mom", {"due": "2026-10-22"}),
    3: ("pay the bills", {"due": "2026-10-23", "labels": ["home"]}),
    4: ("submit report", {"due": "2026-10-26T17:00:00+01:00", "labels": ["work"], "priority": 1}),
    5: ("book dentist", {}),
    6: ("water plants", {"due": "2026-10-30", "recurrence": "FREQ=WEEKLY"}),
}


@dataclass(frozen=True)
class Case:
    kind: str
    text: str
    expect: dict[Any, Any] = field(default_factory=dict)
    says: tuple[str, ...] = ()
    not_says: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


def added(kind: str, text: str, title: str, **details: Any) -> Case:
    return Case(kind, text, {"add": {"title": title, **details}})


def changed(kind: str, text: str, number: int, **details: Any) -> Case:
    return Case(kind, text, {number: details})


def asked(kind: str, text: str, says: tuple[str, ...], not_says: tuple[str, ...] = ()) -> Case:
    return Case(kind, text, {}, says, not_says)


MON_9 = "2026-10-26T09:00:00+01:00"
CASES: list[Case] = [
    added("date", "add call the plumber tomorrow at 5pm", "call the plumber",
          due="2026-10-24T17:00:00+02:00"),
    added("date", "add renew passport next friday", "renew passport", due="2026-10-30"),
    added("date", "add file taxes in 2 weeks", "file taxes", due="2026-11-06"),
    added("date", "add pay the gardener on the 3rd", "pay the gardener", due="2026-11-03"),
    added("date", "add buy a gift on friday", "buy a gift", due="2026-10-30"),
    added("date", "add book flights by dec 3", "book flights", due="2026-12-03"),
    added("date", "add team lunch next friday at 12:30", "team lunch",
          due="2026-10-30T12:30:00+01:00"),
    added("date", "add call the bank monday morning", "call the bank", due=MON_9),
    added("date", "add take out the bins tonight", "take out the bins",
          due="2026-10-23T20:00:00+02:00"),
    added("date", "add check the oven in 30 minutes", "check the oven",
          due="2026-10-23T10:30:00+02:00"),
    added("date", "add send the invoice today", "send the invoice", due="2026-10-23"),
    added("date", "add clean the garage this weekend", "clean the garage", due="2026-10-24"),
    added("date", "add wash the car tomorrow", "wash the car", due="2026-10-24"),
    added("date", "add cancel the trial at 6pm", "cancel the trial",
          due="2026-10-23T18:00:00+02:00"),
    added("date", "add pick up the parcel tuesday at 9", "pick up the parcel",
          due="2026-10-27T09:00:00+01:00"),
    added("date", "add call the bank next week", "call the bank", due="2026-10-26"),
    added("date", "add tomatoes for sunday", "tomatoes", due="2026-10-25"),
    added("priority", "add an important task to email the lawyer", "email the lawyer",
          priority=2),
    added("priority", "add call the landlord p1", "call the landlord", priority=1),
    added("priority", "add fix the leak, urgent", "fix the leak", priority=1),
    added("priority", "add update the website high priority", "update the website", priority=2),
    added("priority", "add sort the photos low priority", "sort the photos", priority=4),
    added("priority", "add urgent: renew the car insurance", "renew the car insurance",
          priority=1),
    added("priority", "add prepare slides p2 tomorrow", "prepare slides", priority=2,
          due="2026-10-24"),
    added("label", "add email the team #work", "email the team", labels=["work"]),
    added("label", "add repaint the shed #home #weekend", "repaint the shed",
          labels=["home", "weekend"]),
    added("label", "add buy stamps tagged errands", "buy stamps", labels=["errands"]),
    added("label", "add review the budget #work p1 friday", "review the budget",
          labels=["work"], priority=1, due="2026-10-30"),
    added("list", "add eggs to my groceries list", "eggs", list="groceries"),
    added("list", "add bread to groceries", "bread", list="groceries"),
    added("list", "put sunscreen on the packing list", "sunscreen", list="packing"),
    added("list", "add call the caterer to my wedding list", "call the caterer", list="wedding"),
    added("repeat", "add water the garden every monday", "water the garden",
          due="2026-10-26", recurrence="FREQ=WEEKLY;BYDAY=MO"),
    added("repeat", "add clean the filter every 2 weeks", "clean the filter",
          due="2026-10-23", recurrence="FREQ=WEEKLY;INTERVAL=2"),
    added("repeat", "add stand-up on weekdays at 9am", "stand-up", due=MON_9,
          recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    added("repeat", "add pay rent every month on the 1st", "pay rent", due="2026-11-01",
          recurrence="FREQ=MONTHLY;BYMONTHDAY=1"),
    added("repeat", "add take vitamins daily", "take vitamins", due="2026-10-23",
          recurrence="FREQ=DAILY"),
    added("repeat", "add yoga every tuesday and thursday", "yoga", due="2026-10-27",
          recurrence="FREQ=WEEKLY;BYDAY=TU,TH"),
    added("repeat", "add team retro every other friday", "team retro", due="2026-10-23",
          recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    added("reminder", "remind me to pay rent on friday", "pay rent", due="2026-10-30",
          remind_at="2026-10-30T09:00:00+01:00"),
    added("reminder", "remind me to call Anna tomorrow at 5pm", "call Anna",
          due="2026-10-24T17:00:00+02:00", remind_at="2026-10-24T17:00:00+02:00"),
    added("reminder", "add dentist tomorrow at 3pm, remind me 30 minutes before", "dentist",
          due="2026-10-24T15:00:00+02:00", remind_at="2026-10-24T14:30:00+02:00"),
    added("reminder", "add the board meeting monday at 10am and remind me an hour before",
          "board meeting", due="2026-10-26T10:00:00+01:00",
          remind_at="2026-10-26T09:00:00+01:00"),
    added("reminder", "add submit the grant on the 3rd, remind me the day before",
          "submit the grant", due="2026-11-03", remind_at="2026-11-02T09:00:00+01:00"),
    added("reminder", "add call grandma sunday with a reminder", "call grandma",
          due="2026-10-25", remind_at="2026-10-25T09:00:00+01:00"),
    changed("change", "move task 5 to tomorrow", 5, due="2026-10-24"),
    changed("change", "reschedule task 2 to next friday at 9", 2,
            due="2026-10-30T09:00:00+01:00"),
    changed("change", "push the dentist to monday", 5, due="2026-10-26"),
    changed("change", "make task 2 p1", 2, priority=1),
    changed("change", "mark task 5 as urgent", 5, priority=1),
    changed("change", "label task 5 #health", 5, labels=["health"]),
    changed("change", "tag the dentist task with health", 5, labels=["health"]),
    changed("change", "move task 5 to my errands list", 5, list="errands"),
    changed("change", "make task 5 repeat every month", 5, recurrence="FREQ=MONTHLY"),
    changed("change", "task 5 is due on the 3rd", 5, due="2026-11-03"),
    changed("change", "remove the due date from task 2", 2, due=None),
    changed("change", "remind me about task 3 at 4pm", 3, remind_at="2026-10-23T16:00:00+02:00"),
    changed("change", "remind me 30 minutes before task 4", 4,
            remind_at="2026-10-26T16:30:00+01:00"),
    changed("change", "tag task 3 #money", 3, labels=["home", "money"]),
    asked("question", "what's due today?", ("#3",), ("#2", "#4")),
    asked("question", "what's overdue?", ("#2",), ("#3", "#4")),
    asked("question", "what's coming up?", ("#4", "#6"), ("#2", "#3")),
    asked("question", "what's due friday?", ("#6",), ("#3", "#4")),
    asked("question", "what do I have on monday?", ("#4",), ("#6",)),
    asked("question", "show my work tasks", ("#4",), ("#3", "#1")),
    asked("question", "what's on my groceries list?", ("#1",), ("#2", "#4")),
    asked("question", "show #home", ("#3",), ("#4",)),
    asked("question", "anything urgent?", ("#4",), ("#3",)),
    asked("question", "what's due this week?", ("#3",), ("#4", "#6")),
    asked("question", "anything due tomorrow?", ("Nothing",), ("#3",)),
    asked("question", "are there any overdue tasks?", ("#2",), ("#3",)),
    asked("question", "what's due?", ("#2", "#3", "#4", "#6"), ("#1", "#5")),
]  # fmt: skip
