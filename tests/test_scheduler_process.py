"""Supervising a crawl subprocess: exit codes, timeouts, shutdown grace, SIGKILL last."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from scheduler.process import ProcessOutcome, ShutdownSwitch, run_supervised

IGNORE_SIGTERM_THEN_SLEEP = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(30)"
)


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _run(
    code: str,
    *,
    timeout_s: float = 10,
    kill_grace_s: float = 5,
    switch: ShutdownSwitch | None = None,
) -> ProcessOutcome:
    return run_supervised(
        _python(code),
        env=dict(os.environ),
        timeout_s=timeout_s,
        kill_grace_s=kill_grace_s,
        switch=switch or ShutdownSwitch(),
    )


def _begin_after(switch: ShutdownSwitch, delay_s: float, grace_s: float) -> threading.Timer:
    timer = threading.Timer(delay_s, switch.begin, args=(grace_s,))
    timer.start()
    return timer


def test_a_child_that_exits_reports_its_exit_code_and_last_output_line() -> None:
    outcome = _run("import sys; print('fetching'); sys.exit('boom: feed unreadable')")
    assert (outcome.exit_code, outcome.ended_by) == (1, "exit")
    assert outcome.last_output_line() == "boom: feed unreadable"


def test_a_child_past_its_timeout_is_sent_sigterm() -> None:
    outcome = _run("import time; time.sleep(30)", timeout_s=0.5)
    assert outcome.ended_by == "timeout"
    assert outcome.exit_code == -signal.SIGTERM
    assert outcome.duration_s < 5


def test_a_child_ignoring_sigterm_is_killed_after_the_kill_grace() -> None:
    outcome = _run(IGNORE_SIGTERM_THEN_SLEEP, timeout_s=1.0, kill_grace_s=0.5)
    assert outcome.ended_by == "timeout"
    assert outcome.exit_code == -signal.SIGKILL
    assert 1.4 <= outcome.duration_s < 5


def test_on_shutdown_a_child_may_finish_within_the_grace() -> None:
    switch = ShutdownSwitch()
    timer = _begin_after(switch, 0.2, grace_s=5)
    outcome = _run("import time; time.sleep(1); print('done')", switch=switch)
    timer.join()
    assert (outcome.exit_code, outcome.ended_by) == (0, "exit")


def test_on_shutdown_a_child_outlasting_the_grace_is_stopped() -> None:
    switch = ShutdownSwitch()
    timer = _begin_after(switch, 0.2, grace_s=0.5)
    outcome = _run("import time; time.sleep(30)", switch=switch)
    timer.join()
    assert outcome.ended_by == "shutdown"
    assert outcome.exit_code == -signal.SIGTERM
    assert outcome.duration_s < 5


def test_a_second_stop_request_ends_the_grace_at_once() -> None:
    switch = ShutdownSwitch()
    switch.begin(60)
    first_deadline = switch.deadline()
    switch.begin(60)
    second_deadline = switch.deadline()
    assert first_deadline is not None
    assert second_deadline is not None
    assert second_deadline < first_deadline - 50


def test_wait_idle_waits_for_tracked_runs() -> None:
    switch = ShutdownSwitch()
    release = threading.Event()

    def tracked() -> None:
        with switch.tracking():
            release.wait(5)

    worker = threading.Thread(target=tracked)
    worker.start()
    time.sleep(0.05)
    assert switch.wait_idle(0.1) is False
    release.set()
    assert switch.wait_idle(5) is True
    worker.join()
