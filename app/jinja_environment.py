"""The Jinja environment Flasky renders with: Flask's, with the same templates and
semantics at fewer Python calls a page (each saving is measured in docs/performance.md)."""

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from typing import Any

from flask.templating import Environment
from jinja2 import Template
from jinja2.runtime import Context
from jinja2.utils import _PassArg, internalcode

# Templates kept by name at most: far more than Flasky has, so only a runaway
# generated name falls back to Jinja's own bounded cache.
KEPT_TEMPLATES = 1024


class TemplateGlobals(ChainMap[str, Any]):
    """A template's own globals over the application's, as in Jinja, whose ``keys()`` is a
    plain dict's view of both layers as they are now.

    Jinja computes ``context globals - template.globals.keys()`` at every ``{% import %}``
    and ``{% from ... import %}``. On a ChainMap's KeysView that set difference tests each
    name in Python, through every layer: about 800 Python calls a home page. A dict's view
    does it in C. Lookups and writes stay ChainMap's, so a template's globals still never
    change the application's."""

    def keys(self) -> KeysView[str]:
        merged: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class TemplateContext(Context):
    """Jinja's context, whose ``call`` (every call a template makes) reads a callable's
    ``pass_context``/``pass_environment`` mark with the built-in ``getattr`` instead of
    two Python-level look-ups."""

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # As Jinja does: a callable object may take the context through its __call__.
        method = getattr(__obj, "__call__", None)  # noqa: B004
        pass_arg = getattr(method, "jinja_pass_arg", None)
        if pass_arg is not None:
            __obj = method
        else:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
        if pass_arg is _PassArg.context:
            # Variables set in loops and blocks, without changing the context itself.
            if kwargs.get("_loop_vars"):
                __self = __self.derived(kwargs["_loop_vars"])
            if kwargs.get("_block_vars"):
                __self = __self.derived(kwargs["_block_vars"])
            args = (__self, *args)
        elif pass_arg is _PassArg.eval_context:
            args = (__self.eval_ctx, *args)
        elif pass_arg is _PassArg.environment:
            args = (__self.environment, *args)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


class FlaskyEnvironment(Environment):
    context_class = TemplateContext

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._kept: dict[tuple[str, str | None], Template] = {}
        self._kept_loader: Any = None

    def make_globals(self, d: MutableMapping[str, Any] | None) -> TemplateGlobals:
        return TemplateGlobals({} if d is None else d, self.globals)

    @internalcode
    def get_template(self, name: str | Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> Template:
        """Jinja's, but a template loaded once is found again in one dict look-up (every
        ``{% include %}`` and card asks) while templates never reload (``auto_reload``
        off, Jinja's cache on). A new loader starts afresh."""
        if globals is not None or self.auto_reload or self.cache is None \
                or not isinstance(name, str):
            return super().get_template(name, parent, globals)
        if self._kept_loader is not self.loader:
            self._kept, self._kept_loader = {}, self.loader
        template = self._kept.get((name, parent))
        if template is None:
            template = super().get_template(name, parent)
            if len(self._kept) < KEPT_TEMPLATES:
                self._kept[name, parent] = template
        return template
