"""Tasks: plain functions, registered by name with their retry policy.

``@task`` registers a function; a job names it by ``module:function``, so any
process (an app worker, ``flask worker``) finds it by importing the module.
``@periodic(every=...)`` also runs it on a schedule.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class Task:
    function: Callable[..., Any]
    name: str
    attempts: int          # tries in all, the first included
    backoff: float         # seconds before the first retry; doubles each time
    max_backoff: float
    lease: float           # seconds a run may take before it is presumed dead

    def retry_delay(self, attempts: int) -> timedelta:
        """How long to wait after the ``attempts``-th failed run."""
        return timedelta(seconds=min(self.backoff * 2 ** max(attempts - 1, 0), self.max_backoff))


TASKS: dict[str, Task] = {}
PERIODIC: dict[str, timedelta] = {}
# Modules whose tasks every worker must know (imported when jobs start).
TASK_MODULES = ("app.mail_delivery", "app.auth.mails", "app.exports", "app.account_deletion",
                "app.social.digests", "app.federation.delivery")


def task(attempts: int = 5, backoff: float = 30, max_backoff: float = 3600,
         lease: float = 600) -> Callable[[Callable], Callable]:
    """Register ``function`` as a task that may run ``attempts`` times in all."""

    def register(function: Callable) -> Callable:
        name = f"{function.__module__}:{function.__qualname__}"
        TASKS[name] = Task(function, name, attempts, backoff, max_backoff, lease)
        function.task_name = name
        return function

    return register


def periodic(every: timedelta) -> Callable[[Callable], Callable]:
    """Run the (already registered) task every ``every``, once across all workers."""

    def schedule(function: Callable) -> Callable:
        PERIODIC[function.task_name] = every
        return function

    return schedule


def task_named(name: str) -> Task:
    """The task called ``name``, importing its module when this process has not yet."""
    if name not in TASKS:
        module, _, _ = name.partition(":")
        importlib.import_module(module)
    return TASKS[name]


def name_of(function: Callable) -> str:
    name = getattr(function, "task_name", None)
    if name is None:
        raise ValueError(f"{function!r} is not a task: decorate it with @task")
    return name


def import_task_modules() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)
