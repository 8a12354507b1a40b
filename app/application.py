"""The Flask class Flasky runs as: Flask, rendering with Flasky's Jinja environment
(``app/jinja_environment.py``), and checking each plain hook and view once for
whether it is a coroutine."""

from collections.abc import Callable
from inspect import iscoroutinefunction
from types import FunctionType
from typing import Any

from flask import Flask

from app.jinja_environment import FlaskyEnvironment

_CHECKED = "flasky_checked_sync"


class Flasky(Flask):
    jinja_environment = FlaskyEnvironment

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's, asked for every hook and the view of every request: a plain function
        found synchronous is marked so, and returned at once after that (Flask's check
        costs five Python calls, and a request asks about eighteen times)."""
        # The mark is the code found synchronous: a wrapper that copied the function's
        # attributes (functools.wraps) has code of its own, and is checked afresh.
        checked = getattr(func, _CHECKED, None)
        if checked is not None and checked is getattr(func, "__code__", None):
            return func
        if iscoroutinefunction(func):
            return self.async_to_sync(func)
        if type(func) is FunctionType:
            setattr(func, _CHECKED, func.__code__)
        return func
