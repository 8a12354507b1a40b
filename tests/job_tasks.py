"""Tasks for the job tests: they count their runs in this process."""

import threading
from collections import Counter

from app.jobs import report_progress, task

RUNS: Counter = Counter()
_LOCK = threading.Lock()


def forget_runs() -> None:
    with _LOCK:
        RUNS.clear()


@task(attempts=1)
def count(label: str) -> str:
    with _LOCK:
        RUNS[label] += 1
    return f"counted {label}"


@task(attempts=3, backoff=60)
def always_fails(label: str) -> None:
    with _LOCK:
        RUNS[label] += 1
    raise RuntimeError(f"{label} went wrong")


@task(attempts=1)
def with_progress(steps: int) -> int:
    for step in range(steps):
        report_progress(100 * step / steps, f"step {step + 1} of {steps}")
    return steps


HALFWAY = threading.Event()  # set by the test once it has seen the progress


@task(attempts=1)
def stops_halfway() -> str:
    report_progress(50, "halfway")
    if not HALFWAY.wait(20):
        raise RuntimeError("nobody read the progress")
    return "done"
