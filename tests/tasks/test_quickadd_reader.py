"""The quick-add reader's one table: each token kind, where it stands, and what must stay literal.

Read on Friday 2026-10-23 10:00 in Berlin, two days before the clocks go back (+02:00 -> +01:00).
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tasklive.tasks.quickadd import NotATaskError, UnsureError, read

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 10, 23, 8, tzinfo=UTC)


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZONE)


# text -> the title and every field that is set (the others must stay empty)
TABLE: list[tuple[str, str, dict[str, Any]]] = [
    # due: days, times, typos, leads, anywhere in the text
    ("renew the lease on thursday", "renew the lease", {"due": date(2026, 10, 29)}),
    ("vote tue nov 3", "vote", {"due": date(2026, 11, 3)}),
    ("call mom on friday the 13th", "call mom", {"due": date(2026, 11, 13)}),
    ("dentist Thursday 12 November", "dentist", {"due": date(2026, 11, 12)}),
    ("meeting on monday the 2nd", "meeting", {"due": date(2026, 11, 2)}),
    ("call bob friday 5", "call bob", {"due": at("2026-10-30", "17:00")}),
    ("RSVP to Tom's 30th by wednesday", "RSVP to Tom's 30th", {"due": date(2026, 10, 28)}),
    ("call Oma weekly on sundays", "call Oma",
     {"recurrence": "FREQ=WEEKLY;BYDAY=SU", "due": date(2026, 10, 25)}),
    ("order toner by monday", "order toner", {"due": date(2026, 10, 26)}),
    ("new bike lock before the weekend", "new bike lock", {"due": date(2026, 10, 24)}),
    ("phone bill 3.4.", "phone bill", {"due": date(2027, 4, 3)}),  # day first, with dots
    ("nex tuesday 2pm haircut", "haircut", {"due": at("2026-10-27", "14:00")}),
    ("Zahnarzt 16 Uhr", "Zahnarzt", {"due": at("2026-10-23", "16:00")}),
    ("school fees due 15th #family", "school fees",
     {"due": date(2026, 11, 15), "labels": ["family"]}),
    ("CS 61B proj 2 due thursday 11:59pm", "CS 61B proj 2", {"due": at("2026-10-29", "23:59")}),
    ("dentist mon 10.30", "dentist", {"due": at("2026-10-26", "10:30")}),
    ("pack for camping sat. notes: tent", "pack for camping",
     {"due": date(2026, 10, 24), "description": "tent"}),
    ("flu shots before thanksgiving", "flu shots", {"due": date(2026, 11, 26)}),
    ("tomorow: book the vet", "book the vet", {"due": date(2026, 10, 24)}),
    ("pay rent tomorrow 5 p.m.", "pay rent", {"due": at("2026-10-24", "17:00")}),
    ("call mom at 5.30pm", "call mom", {"due": at("2026-10-23", "17:30")}),
    ("coffee with Ana at 11 on tuesday", "coffee with Ana", {"due": at("2026-10-27", "11:00")}),
    ("call the electrician at 10", "call the electrician", {"due": at("2026-10-24", "10:00")}),
    ("return costume mon", "return costume", {"due": date(2026, 10, 26)}),
    ("team call tue 4pm", "team call", {"due": at("2026-10-27", "16:00")}),
    ("file taxes in 2 weeks", "file taxes", {"due": date(2026, 11, 6)}),
    ("pay rent on wensday", "pay rent", {"due": date(2026, 10, 28)}),
    ("dentist 12/4 at 3pm", "dentist", {"due": at("2027-04-12", "15:00")}),
    ("dr appt 3/18 at 10", "dr appt", {"due": at("2027-03-18", "10:00")}),
    # an absolute sum across the DST change: 48 hours after Friday 10:00 +02:00
    ("move the car in 48 hours", "move the car", {"due": at("2026-10-25", "09:00")}),
    # priority
    ("p3 tidy the shed", "tidy the shed", {"priority": 3}),
    ("urgent: call the landlord", "call the landlord", {"priority": 1}),
    ("urgnet: call the insurance", "call the insurance", {"priority": 1}),
    ("URGENT replace the smoke alarm battery", "replace the smoke alarm battery", {"priority": 1}),
    ("get the inverter checked - important", "get the inverter checked", {"priority": 2}),
    ("urgnt: renew the passport", "renew the passport", {"priority": 1}),
    ("very urgent - update the address", "update the address", {"priority": 1}),
    ("not urgent but clean out the shed", "clean out the shed", {"priority": 4}),
    ("no rush, fix the fence", "fix the fence", {"priority": 4}),
    ("call the plumber asap", "call the plumber", {"priority": 1}),
    ("fix the sink, it's urgent", "fix the sink", {"priority": 1}),
    ("sign the lease, very important", "sign the lease", {"priority": 2}),
    ("clean the windows, not urgent", "clean the windows", {"priority": 4}),
    ("buy paint !2", "buy paint", {"priority": 2}),
    # labels
    ("Costco list - paper towels", "paper towels", {"list": "Costco"}),
    ("milk on the grocries list", "milk", {"list": "groceries"}),
    ("call the vet about Luna's shots (label: pets)", "call the vet about Luna's shots",
     {"labels": ["pets"]}),
    ("#garden plant the bulbs", "plant the bulbs", {"labels": ["garden"]}),
    ("#a and #b read the book", "read the book", {"labels": ["a", "b"]}),
    ("buy milk @errands", "buy milk", {"labels": ["errands"]}),
    ("buy stamps, tag it work", "buy stamps", {"labels": ["work"]}),
    ("file taxes with the tags money and admin", "file taxes", {"labels": ["money", "admin"]}),
    ("email bob@example.com the notes", "email bob@example.com the notes", {}),
    # lists
    ("book flights, put it on my Admin list", "book flights", {"list": "Admin"}),
    ("oat milk to my groceries list", "oat milk", {"list": "groceries"}),
    ("get passport photos, list Travel", "get passport photos", {"list": "Travel"}),
    ("Home Depot list: caulk", "caulk", {"list": "Home Depot"}),
    ("pumpkin pie filling to Groceries for wednesday", "pumpkin pie filling",
     {"list": "Groceries", "due": date(2026, 10, 28)}),
    ("pick up dry cleaning, description ticket 4471", "pick up dry cleaning",
     {"description": "ticket 4471"}),
    # repeats
    ("gym MWF 6am", "gym", {"recurrence": "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                            "due": at("2026-10-26", "06:00")}),
    ("footy tues & thurs 5:30pm every week", "footy",
     {"recurrence": "FREQ=WEEKLY;BYDAY=TU,TH", "due": at("2026-10-27", "17:30")}),
    ("maid salary every month end", "maid salary",
     {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=-1", "due": date(2026, 10, 31)}),
    ("SIP payment on 5th of every month", "SIP payment",
     {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=5", "due": date(2026, 11, 5)}),
    ("stretch every morning", "stretch", {"recurrence": "FREQ=DAILY",
                                          "due": at("2026-10-24", "09:00")}),
    ("stretch every morning at 7", "stretch", {"recurrence": "FREQ=DAILY",
                                               "due": at("2026-10-24", "07:00")}),
    ("bins out every other tuesday", "bins out",
     {"recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "due": date(2026, 10, 27)}),
    ("backup on weekdays", "backup",
     {"recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "due": date(2026, 10, 23)}),
    ("pay the nanny every 2 weeks", "pay the nanny",
     {"recurrence": "FREQ=WEEKLY;INTERVAL=2", "due": date(2026, 10, 23)}),
    ("rent on the 1st of every month", "rent",
     {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=1", "due": date(2026, 11, 1)}),
    ("gym every mon, wed, fri at 7am", "gym",
     {"recurrence": "FREQ=WEEKLY;BYDAY=MO,WE,FR", "due": at("2026-10-26", "07:00")}),
    ("gym every thrusday", "gym", {"recurrence": "FREQ=WEEKLY;BYDAY=TH",
                                   "due": date(2026, 10, 29)}),
    ("pay the strata every quarter", "pay the strata",
     {"recurrence": "FREQ=MONTHLY;INTERVAL=3", "due": date(2026, 10, 23)}),
    ("cleaner's invoice at the end of every month", "cleaner's invoice",
     {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=-1", "due": date(2026, 10, 31)}),
    ("write the quarterly report", "write the quarterly report", {}),
    ("water plants weekly #home", "water plants",
     {"recurrence": "FREQ=WEEKLY", "labels": ["home"], "due": date(2026, 10, 23)}),
    # reminders, in every word order
    ("remind me at 7am to call mom", "call mom",
     {"due": at("2026-10-24", "07:00"), "remind_at": at("2026-10-24", "07:00")}),
    ("van friday 16:00 remind me at 15:00 #move", "van",
     {"due": at("2026-10-30", "16:00"), "remind_at": at("2026-10-30", "15:00"),
      "labels": ["move"]}),
    ("remind me tues at 8pm to charge the scooter", "charge the scooter",
     {"due": at("2026-10-27", "20:00"), "remind_at": at("2026-10-27", "20:00")}),
    ("nudge me wed at noon to call the pharmacy", "call the pharmacy",
     {"due": at("2026-10-28", "12:00"), "remind_at": at("2026-10-28", "12:00")}),
    ("set a reminder for monday at 8: submit timesheet", "submit timesheet",
     {"due": at("2026-10-26", "08:00"), "remind_at": at("2026-10-26", "08:00")}),
    ("nudge me tomorrow morning to water plants", "water plants",
     {"due": at("2026-10-24", "09:00"), "remind_at": at("2026-10-24", "09:00")}),
    ("reminder: pay the nursery fees tomorrow", "pay the nursery fees",
     {"due": date(2026, 10, 24), "remind_at": at("2026-10-24", "09:00")}),
    ("flight nov 5 at 7am, remind me the night before at 9pm", "flight",
     {"due": at("2026-11-05", "07:00"), "remind_at": at("2026-11-04", "21:00")}),
    ("flight nov 5 at 7am, remind me the night before", "flight",
     {"due": at("2026-11-05", "07:00"), "remind_at": at("2026-11-04", "20:00")}),
    ("remind me tomorrow 07:00 to defrost the chicken", "defrost the chicken",
     {"due": at("2026-10-24", "07:00"), "remind_at": at("2026-10-24", "07:00")}),
    ("set a reminder for 10am sunday - return the rental car", "return the rental car",
     {"due": at("2026-10-25", "10:00"), "remind_at": at("2026-10-25", "10:00")}),
    ("sunday 10am reminder: call the babysitter", "call the babysitter",
     {"due": at("2026-10-25", "10:00"), "remind_at": at("2026-10-25", "10:00")}),
    ("dentist friday 3pm remind me 15 minutes before", "dentist",
     {"due": at("2026-10-30", "15:00"), "remind_at": at("2026-10-30", "14:45"),
      "reminder_offset": timedelta(minutes=15)}),
    # descriptions
    ("email the school with a note saying Ella has a peanut allergy", "email the school",
     {"description": "Ella has a peanut allergy"}),
    ("pick up sweets tomorrow. notes - 1 kg sandesh", "pick up sweets",
     {"due": date(2026, 10, 24), "description": "1 kg sandesh"}),
    ("call the bank tomorrow, note: ask about fees", "call the bank",
     {"due": date(2026, 10, 24), "description": "ask about fees"}),
    ("book the venue with description capacity 80, near a station", "book the venue",
     {"description": "capacity 80, near a station"}),
    ("remind me on 24th at 10am to send cards", "send cards",
     {"due": at("2026-10-24", "10:00"), "remind_at": at("2026-10-24", "10:00")}),
    ("set a reminder: call the landlord tomorrow 10:00", "call the landlord",
     {"due": at("2026-10-24", "10:00"), "remind_at": at("2026-10-24", "10:00")}),
    ("ping me at 2:15 pm re: school pickup", "school pickup",
     {"due": at("2026-10-23", "14:15"), "remind_at": at("2026-10-23", "14:15")}),
    ("remind me at 8 tomorrow morning to take the costume back", "take the costume back",
     {"due": at("2026-10-24", "08:00"), "remind_at": at("2026-10-24", "08:00")}),
    ("reminde me sunday 10am to clean the grill", "clean the grill",
     {"due": at("2026-10-25", "10:00"), "remind_at": at("2026-10-25", "10:00")}),
    ("cab to the airport tomorrow 4:30am, remind me at 4", "cab to the airport",
     {"due": at("2026-10-24", "04:30"), "remind_at": at("2026-10-24", "04:00")}),
    ("lunch sun 12:30 p1 remind me sat 6pm", "lunch",
     {"due": at("2026-10-25", "12:30"), "priority": 1, "remind_at": at("2026-10-24", "18:00")}),
    # literal: quotes, names, adjectives, punctuation
    ("Sunday roast every sunday 5pm", "Sunday roast",
     {"due": at("2026-10-25", "17:00"), "recurrence": "FREQ=WEEKLY;BYDAY=SU"}),
    ("Monday meeting prep tomorrow", "Monday meeting prep", {"due": date(2026, 10, 24)}),
    ("read 'Friday Black'", "read 'Friday Black'", {}),
    ('listen to "Tuesday Afternoon" tonight', 'listen to "Tuesday Afternoon"',
     {"due": at("2026-10-23", "20:00")}),
    ("watch Monday Night Football", "watch Monday Night Football", {}),
    ("book a table at TGI Fridays", "book a table at TGI Fridays", {}),
    ("watch Monday Night Football on sunday", "watch Monday Night Football",
     {"due": date(2026, 10, 25)}),
    ("watch Sunday in the Park with George", "watch Sunday in the Park with George", {}),
    ("read Tuesdays with Morrie", "read Tuesdays with Morrie", {}),
    ("buy tickets for the Black Friday sale", "buy tickets for the Black Friday sale", {}),
    ("email the weekly report", "email the weekly report", {}),
    ("email the team about friday's offsite", "email the team about friday's offsite", {}),
    ("'; drop table x; --", "'; drop table x; --", {}),
    # an hour alone is the next sensible one: 1-5 in the afternoon, 8-12 in the morning
    ("pick up the kids at 3", "pick up the kids", {"due": at("2026-10-23", "15:00")}),
    ("pick up the dry cleaning before 5", "pick up the dry cleaning",
     {"due": at("2026-10-23", "17:00")}),
    ("remind me at 4 to call Jo", "call Jo",
     {"due": at("2026-10-23", "16:00"), "remind_at": at("2026-10-23", "16:00")}),
    # a symbol is part of the title
    ("coffee with Ana 🎉 friday", "coffee with Ana 🎉", {"due": date(2026, 10, 30)}),
    # a list said first
    ("put it on my Admin list: file taxes p2", "file taxes", {"list": "Admin", "priority": 2}),
    # days listed without commas, nth weekday of the month
    ("run every mon wed and fri at 6am", "run",
     {"recurrence": "FREQ=WEEKLY;BYDAY=MO,WE,FR", "due": at("2026-10-26", "06:00")}),
    ("book club every last friday", "book club",
     {"recurrence": "FREQ=MONTHLY;BYDAY=-1FR", "due": date(2026, 10, 30)}),
    ("pay rent on the first monday of every month", "pay rent",
     {"recurrence": "FREQ=MONTHLY;BYDAY=1MO", "due": date(2026, 11, 2)}),
    ("mow the lawn every second saturday", "mow the lawn",
     {"recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "due": date(2026, 10, 24)}),
    ("pay rent every 1st of the month", "pay rent",
     {"recurrence": "FREQ=MONTHLY;BYMONTHDAY=1", "due": date(2026, 11, 1)}),
    ("biweekly 1:1 with Marta thursdays 10am", "1:1 with Marta",
     {"recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "due": at("2026-10-29", "10:00")}),
    # short day words that are words too, day-first dotted dates, fixed holidays, typos
    ("haircut sat 9am", "haircut", {"due": at("2026-10-24", "09:00")}),
    ("Zahnarzt 30.10. 9:00", "Zahnarzt", {"due": at("2026-10-30", "09:00")}),
    ("wrap the presents by christmas eve", "wrap the presents", {"due": date(2026, 12, 24)}),
    ("submit the grant report by thurdsay", "submit the grant report",
     {"due": date(2026, 10, 29)}),
    ("ask about 24/7 support", "ask about 24/7 support", {}),
    ("watch Friday the 13th", "watch Friday the 13th", {}),
    ("re-read Tomorrow, When the War Began", "re-read Tomorrow, When the War Began", {}),
    ("pick up Mia from ballet at 5:30pm on weds", "pick up Mia from ballet",
     {"due": at("2026-10-28", "17:30")}),
    ("mow lawn sat morning", "mow lawn", {"due": at("2026-10-24", "09:00")}),
    ("renew car tax end of month", "renew car tax", {"due": date(2026, 10, 31)}),
    ("team standup mon-fri 9am", "team standup",
     {"recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "due": at("2026-10-26", "09:00")}),
    ("yoga tues & thurs 7am", "yoga",
     {"recurrence": "FREQ=WEEKLY;BYDAY=TU,TH", "due": at("2026-10-27", "07:00")}),
    ("buy milk (2%) tomorrow", "buy milk (2%)", {"due": date(2026, 10, 24)}),
    ("call the vet first thing tomorrow", "call the vet", {"due": at("2026-10-24", "09:00")}),
    ("read chapters 3-5 by friday", "read chapters 3-5", {"due": date(2026, 10, 30)}),
    # lists the short way
    ("eggs tmrw in Groceries #shopping", "eggs",
     {"due": date(2026, 10, 24), "list": "Groceries", "labels": ["shopping"]}),
    ("return the drill to Jonas, errands list", "return the drill to Jonas", {"list": "errands"}),
    ("Groceries: sourdough loaf", "sourdough loaf", {"list": "Groceries"}),
    ("meet in Home Depot", "meet in Home Depot", {}),
    # the time first, then "remind me to"
    ("at 9pm remind me to lock the gate", "lock the gate",
     {"due": at("2026-10-23", "21:00"), "remind_at": at("2026-10-23", "21:00")}),
    # "reminder <when>: ..."
    ("reminder tomorrow 9am: dentist call", "dentist call",
     {"due": at("2026-10-24", "09:00"), "remind_at": at("2026-10-24", "09:00")}),
    # the when, then the task, with nothing between; "remind me:" after the when
    ("set reminder 21:00 take BP medicine", "take BP medicine",
     {"due": at("2026-10-23", "21:00"), "remind_at": at("2026-10-23", "21:00")}),
    ("rmind me tmrw 7am gym", "gym",
     {"due": at("2026-10-24", "07:00"), "remind_at": at("2026-10-24", "07:00")}),
    ("in 1h remind me: laundry", "laundry",
     {"due": at("2026-10-23", "11:00"), "remind_at": at("2026-10-23", "11:00")}),
    ("call the plumber in 30m", "call the plumber", {"due": at("2026-10-23", "10:30")}),
    # "!!" and "!!!" apart from the words, "no rush" after a comma, German "dringend"
    ("top up the windshield fluid !!", "top up the windshield fluid", {"priority": 2}),
    ("file taxes by nov 15 !!!", "file taxes", {"due": date(2026, 11, 15), "priority": 1}),
    ("water the veggie patch, no rush", "water the veggie patch", {"priority": 4}),
    ("Angebot schicken, dringend", "Angebot schicken", {"priority": 1}),
    ("wow!! great", "wow!! great", {}),
    # German day words, "am"/"bis" before them; a surname after "Frau" is no day
    ("Zahnarzt Freitag 10:30", "Zahnarzt", {"due": at("2026-10-30", "10:30")}),
    ("Fahrrad reparieren lassen am Samstag", "Fahrrad reparieren lassen",
     {"due": date(2026, 10, 24)}),
    ("Physio termin mitwoch 8:30", "Physio termin", {"due": at("2026-10-28", "08:30")}),
    ("call Frau Sonntag about the keys", "call Frau Sonntag about the keys", {}),
    # "5p", an hour in "tomorrow morning", "rent's due"
    ("pick up dry cleaning tmrw 5p", "pick up dry cleaning", {"due": at("2026-10-24", "17:00")}),
    ("book the cab at 7 tomorrow morning", "book the cab", {"due": at("2026-10-24", "07:00")}),
    ("rent's due on the 1st", "rent", {"due": date(2026, 11, 1)}),
    # a list after a comma, of one or two capitalised words
    ("paint the balcony railing, list: Home Projects", "paint the balcony railing",
     {"list": "Home Projects"}),
    ("return the camping gear, put it in Holidays", "return the camping gear",
     {"list": "Holidays"}),
    # hours as people write them: "16h", "9ish", "quarter to 6"; a fortnight; more typos
    ("team retro every other thurs 16h #work", "team retro",
     {"recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "due": at("2026-10-29", "16:00"),
      "labels": ["work"]}),
    ("pick up the bike sat 10-ish", "pick up the bike", {"due": at("2026-10-24", "10:00")}),
    ("pay the stall owner quarter to 6 tmrow", "pay the stall owner",
     {"due": at("2026-10-24", "17:45")}),
    ("book flights a fortnight from today #travel", "book flights",
     {"due": date(2026, 11, 6), "labels": ["travel"]}),
    ("order HDMI cables ($14.99) tmrrw", "order HDMI cables ($14.99)", {"due": date(2026, 10, 24)}),
    ("flights to Chennai on janurary 9", "flights to Chennai", {"due": date(2027, 1, 9)}),
    ("renew the passport in a month", "renew the passport", {"due": date(2026, 11, 23)}),
    ("take the tablet every night at 10", "take the tablet",
     {"recurrence": "FREQ=DAILY", "due": at("2026-10-23", "22:00")}),
    ("coffee wed 10am, remind me the night before at 9", "coffee",
     {"due": at("2026-10-28", "10:00"), "remind_at": at("2026-10-27", "21:00")}),
    ("check-in with Dana #work #1on1", "check-in with Dana", {"labels": ["work", "1on1"]}),
    ("fix the prod outage, it's super urgent", "fix the prod outage", {"priority": 1}),
    ("book the ferry for the 17th, tag holiday, list Trips", "book the ferry",
     {"due": date(2026, 11, 17), "labels": ["holiday"], "list": "Trips"}),
    ("book the Ikea delivery and file it under Home", "book the Ikea delivery", {"list": "Home"}),
    ("fix the gutter!!!", "fix the gutter", {"priority": 1}),
    # a name of three capitalised words keeps its day or repeat words; "Co." keeps its dot
    ("renew my membership at Every Day Fitness Bondi",
     "renew my membership at Every Day Fitness Bondi", {}),
    ("book a table at Sunday Roast Co. for nov 8", "book a table at Sunday Roast Co.",
     {"due": date(2026, 11, 8)}),
    ("update my resume, it's pretty urgent", "update my resume", {"priority": 1}),
    ("pick up Jack from footy at 5pm tody", "pick up Jack from footy",
     {"due": at("2026-10-23", "17:00")}),
    # a day before is the same hour the day before, when the clocks go back between them
    ("dentist sunday 5pm, remind me a day before", "dentist",
     {"due": at("2026-10-25", "17:00"), "remind_at": at("2026-10-24", "17:00"),
      "reminder_offset": timedelta(days=1)}),
]  # fmt: skip
EMPTY = {"description": "", "due": None, "priority": None, "labels": [], "list": None,
         "recurrence": None, "remind_at": None, "reminder_offset": None}  # fmt: skip


@pytest.mark.parametrize(("text", "title", "fields"), TABLE, ids=[row[0] for row in TABLE])
def test_reads(text: str, title: str, fields: dict[str, Any]) -> None:
    draft = read(text, now=NOW, zone=ZONE)
    got = {"title": draft.title, **{name: getattr(draft, name) for name in EMPTY}}
    assert got == {"title": title, **EMPTY, **fields}
    for span in draft.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]


def test_spans_are_positions_in_the_text_as_typed() -> None:
    text = "Call  mom tomorrow at 5pm p1 #family, remind me 15 minutes before"
    draft = read(text, now=NOW, zone=ZONE)
    said = [(span.kind, text[span.start : span.end], span.value) for span in draft.spans]
    assert said == [
        ("due", "tomorrow at 5pm", "2026-10-24T17:00:00+02:00"),
        ("priority", "p1", 1),
        ("label", "#family", "family"),
        ("reminder", "remind me 15 minutes before", "2026-10-24T16:45:00+02:00"),
    ]
    assert draft.title == "Call mom"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "Type a task"),
        ("tomorrow at 5pm p1", "only its details"),
        ("what's on my list?", "question"),
    ],
)
def test_text_that_is_no_task_is_refused_with_a_reason(text: str, why: str) -> None:
    with pytest.raises(NotATaskError) as refused:
        read(text, now=NOW, zone=ZONE)
    assert why in refused.value.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("team retro every second", "every second"),
        ("ping me 10 min before the dentist", "ping me 10 min before"),  # a task already there
        ("water the plants every day except sunday", "except"),  # no rule for the exception
        ("buy tickets for May 5th concert", "for May 5th"),  # the date describes the concert
        ("book the hotel for Aug 3-5", "-5"),  # a range: only its first day was read
        ("pay bills 15th", "15th"),
        ("call mom on monday the 13th", "monday the 13th"),  # the 13th is a friday
        ("call May about the Tuesday meeting", "Tuesday"),
        ("renew the Netflix sub 2 weeks", "2 weeks"),
        ("meet at 6 at the pub", "at 6"),
        ("wake up at 6", "at 6"),  # morning or evening?
        ("gym mon wed fri 7am", "mon"),
        ("work: finish the slides by friday", "work: finish the slides"),
        # a detail's own word left in a title: no title people wanted ever kept one
        ("urgent care appointment", "urgent"),
        ("call mom friday-ish", "friday"),
        ("gym every mon wed fri 7:00", "7:00"),  # morning or evening?
        ("set a reminder tomorrow 6:45 - gym bag", "6:45"),
        ("coffee w/ Priya 10 tmrw", "10 tmrw"),  # an hour, or part of the title?
        ("standup notes 0900 thu", "0900"),
        ("Zahnarzt Mo 9 Uhr", "Mo"),
        ("Mama anrufen morgen", "morgen"),
        # after a bare "remind me <when>", words that are no to-do of their own
        ("remind me at 5pm again", "remind"),
        ("remind me tomorrow morning I need to call the bank", "remind"),
    ],
)
def test_a_title_with_a_detail_it_could_not_read_is_asked_about(text: str, words: str) -> None:
    """Asking is better than a title that lost or kept words it should not have."""
    with pytest.raises(UnsureError) as unsure:
        read(text, now=NOW, zone=ZONE)
    assert f'"{words}"' in unsure.value.message
