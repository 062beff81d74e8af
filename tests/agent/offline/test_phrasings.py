"""The broad phrasing table against the real agent and tools on SQLite, scored by the database."""

from collections import Counter

from tests.agent.offline.conftest import NewChat
from tests.agent.offline.harness import OfflineChat
from tests.agent.offline.phrasings import CASES, SEED, SEED_DONE, Case
from tests.agent.offline.scoring import score_cases, share_right

State = dict[int, tuple[str, str, bool]]
FLOOR = 0.95


def expected_state(case: Case) -> State:
    """SEED with the case's change applied; new tasks are numbered after the seed, in order."""
    state: State = {n: (t, "", n in SEED_DONE) for n, t in enumerate(SEED, start=1)}
    change = case.expect
    for offset, added in enumerate(change.get("add", [])):
        title, note = added if isinstance(added, tuple) else (added, "")
        state[len(SEED) + 1 + offset] = (title, note, False)
    for number in change.get("done", []):
        title, note, _ = state[number]
        state[number] = (title, note, True)
    for number in change.get("open", []):
        title, note, _ = state[number]
        state[number] = (title, note, False)
    for number, title in change.get("rename", {}).items():
        state[number] = (title, *state[number][1:])
    for number, note in change.get("note", {}).items():
        title, _, done = state[number]
        state[number] = (title, note, done)
    for number in change.get("delete", []):
        del state[number]
    return state


def renumbered(state: State) -> State:
    """New tasks (after the seed) numbered consecutively, so skipped numbers don't count."""
    old = {n: task for n, task in state.items() if n <= len(SEED)}
    new = [task for n, task in sorted(state.items()) if n > len(SEED)]
    return old | {len(SEED) + 1 + i: task for i, task in enumerate(new)}


async def outcome(chat: OfflineChat, case: Case) -> tuple[str, str]:
    """'right', 'asked' (nothing written, not what was wanted) or 'wrong' (a wrong write)."""
    for earlier in case.before:
        await chat.say(earlier)
    before = await chat.state()
    reply = await chat.say(case.text)
    after = renumbered(await chat.state())
    if after == expected_state(case) and all(f in reply for f in case.says):
        return "right", reply
    return ("asked" if await chat.state() == before else "wrong"), reply


async def test_phrasings_score(new_chat: NewChat) -> None:
    async def judge(case: Case) -> tuple[str, str]:
        return await outcome(await new_chat(*SEED, completed=SEED_DONE), case)

    total = await score_cases(CASES, judge, width=22)
    assert total["wrong"] == 0
    assert share_right(total) >= FLOOR


def test_the_table_is_broad() -> None:
    kinds = Counter(case.kind for case in CASES)
    assert sum(kinds.values()) >= 250, kinds
    assert all(count >= 6 for count in kinds.values()), kinds
