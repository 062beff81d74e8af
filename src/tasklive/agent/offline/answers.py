"""Answers to agenda questions: pending tasks from the tool, days picked by the message's clock.

Days are judged against the message's own time in the user's zone (the `Clock`), so the same
history gives the same answer.
"""

from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import SU, relativedelta

from tasklive.agent.offline import replies as say
from tasklive.agent.offline.dialogue import Call, Context
from tasklive.agent.offline.intents import Agenda
from tasklive.agent.offline.showing import day_text, due_of
from tasklive.agent.offline.skills import Plan, Said, skill
from tasklive.tasks.quickadd import dates
from tasklive.tasks.quickadd.dates import Clock, Found

Task = dict[str, Any]


def _day(due: date | datetime) -> date:
    return due.date() if isinstance(due, datetime) else due


def _between(view: str, due: date | datetime, clock: Clock, day: date | None) -> bool:
    local = due.astimezone(clock.zone) if isinstance(due, datetime) else due
    on = _day(local)
    if view == "overdue":
        return local < clock.now if isinstance(local, datetime) else on < clock.today
    if view == "upcoming":
        return on > clock.today
    if view == "week":
        assert day is not None
        return day <= on <= day + relativedelta(weekday=SU)
    if view in ("day", "today"):
        return on == (day or clock.today)
    return True


def _start(intent: Agenda, clock: Clock) -> date | None:
    if intent.view == "week":
        if intent.when.lower().startswith("next"):
            return clock.today + relativedelta(weekday=SU) + timedelta(days=1)
        return clock.today
    if intent.view == "day":
        found = dates.resolve(Found("", intent.when), clock)
        return _day(found) if found is not None else None
    return clock.today


def heading(intent: Agenda, day: date | None, clock: Clock) -> tuple[str, str]:
    """What the answer is about, as a heading and as the words for "nothing ..."."""
    if intent.view == "overdue":
        return "Overdue:", "Nothing is overdue."
    if intent.view == "upcoming":
        return "Coming up:", "Nothing is coming up."
    if intent.view == "due":
        return "Tasks with a due date:", "None of your open tasks has a due date."
    if intent.view == "week":
        return "Due this week:" if day == clock.today else "Due next week:", (
            "Nothing is due that week."
        )
    if intent.view in ("day", "today") and day is not None:
        name = "today" if day == clock.today else f"{intent.when} ({day_text(day)})"
        return f"Due {name}:", f"Nothing is due {name}."
    if intent.label:
        return f"Tasks labelled #{intent.label}:", f"No open tasks are labelled #{intent.label}."
    if intent.list:
        return f"On your {intent.list} list:", f"Your {intent.list} list has no open tasks."
    if intent.priority:
        return f"Your p{intent.priority} tasks:", f"You have no open p{intent.priority} tasks."
    return "Your tasks:", "Nothing there."


def _answer(intent: Agenda, tasks: list[Task], clock: Clock, day: date | None) -> Said:
    shown = tasks
    if intent.view:
        dated = [(task, due_of(task)) for task in tasks]
        shown = [t for t, due in dated if due and _between(intent.view, due, clock, day)]
    if intent.priority:
        shown = [t for t in shown if t.get("priority") and t["priority"] <= intent.priority]
    head, none = heading(intent, day, clock)
    if not shown:
        return Said(none)
    return Said(head + say.task_lines(shown), listed=tuple(t["number"] for t in shown))


@skill(Agenda)
def agenda(intent: Agenda, context: Context) -> Plan:
    args: dict[str, Any] = {"status": "pending", "sort": "priority" if intent.priority else "due"}
    if intent.group:
        args["label"] = intent.group
    if intent.label or intent.list:
        args["label" if intent.label else "list"] = intent.label or intent.list
    result = yield Call("list_tasks", args)
    if intent.group and result.get("ok") and not result["tasks"]:
        result = yield Call(
            "list_tasks", {"status": "pending", "sort": "due", "list": intent.group}
        )
        intent = Agenda(list=intent.group)
    elif intent.group:
        intent = Agenda(label=intent.group)
    if not result.get("ok"):
        return Said(say.failure(result))
    day = _start(intent, context.clock)
    if intent.view == "day" and day is None:
        return Said(f'I couldn\'t tell which day "{intent.when}" is.')
    return _answer(intent, result["tasks"], context.clock, day)
