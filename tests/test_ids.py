"""Ids are unique, within a process and across processes forked from one."""

import os

from tasklive.db import new_id


def test_ids_are_32_hex_digits_and_never_repeat() -> None:
    ids = [new_id() for _ in range(5000)]  # several refills of the random buffer
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_a_forked_process_does_not_hand_out_its_parents_next_ids() -> None:
    new_id()  # the parent's buffer holds ids not handed out yet
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(writing, "".join(new_id() for _ in range(50)).encode())
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading) as pipe:
        text = pipe.read()
    in_child = {text[i : i + 32] for i in range(0, len(text), 32)}
    in_parent = {new_id() for _ in range(50)}
    assert len(in_child) == 50
    assert not in_child & in_parent
