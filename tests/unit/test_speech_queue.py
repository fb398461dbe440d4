"""The first-come-first-served line in front of a speech model (no model needed here; the line
with real transcriptions is in test_speech_engines.py)."""

from __future__ import annotations

import threading

import pytest

from steunwijzer.speech.service import TranscriptionQueue


def wait_until(condition, timeout: float = 5.0) -> None:
    done = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("timed out")


def test_alone_in_line_runs_at_once():
    queue = TranscriptionQueue()
    positions = []
    with queue.turn(positions.append):
        assert len(queue) == 1
    assert positions == [0] and len(queue) == 0


def test_callers_are_served_in_arrival_order_and_see_their_position():
    queue = TranscriptionQueue()
    release_first = threading.Event()
    served, positions = [], {name: [] for name in "abc"}

    def job(name: str) -> None:
        def on_position(position: int) -> None:
            positions[name].append(position)
            if name == "a" and position == 0:
                release_first.wait(5)  # hold the slot until b and c are in line
            if name == "b" and position == 0:
                wait_until(lambda: positions["c"][-1] == 1)  # c moves up while b runs

        with queue.turn(on_position):
            served.append(name)

    threads = []
    for count, name in enumerate("abc", start=1):
        threads.append(threading.Thread(target=job, args=(name,)))
        threads[-1].start()
        wait_until(lambda count=count: len(queue) == count)
    release_first.set()
    for t in threads:
        t.join(5)
    assert served == ["a", "b", "c"]
    assert positions == {"a": [0], "b": [1, 0], "c": [2, 1, 0]}


def test_a_failing_job_releases_the_slot():
    queue = TranscriptionQueue()
    with pytest.raises(RuntimeError):
        with queue.turn():
            raise RuntimeError("model crashed")
    positions = []
    with queue.turn(positions.append):
        pass
    assert positions == [0]


def test_a_caller_that_gives_up_while_waiting_leaves_the_line():
    # Streamlit stops a session's script by raising inside it, e.g. in the position callback.
    queue = TranscriptionQueue()
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with queue.turn():
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)

    def leave(position: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with queue.turn(leave):
            pass
    assert len(queue) == 1
    release.set()
    thread.join(5)
    assert len(queue) == 0
