"""Each worker's memory of the cards it rendered (``app/caching/cards.py``):
``FLASKY_CARD_MEMO`` of them, the least recently used going first."""

import threading
from collections import OrderedDict
from typing import Any

from flask import current_app
from markupsafe import Markup


class CardMemo:
    """The cards one worker rendered: post id and viewer -> (what it showed, HTML)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.cards: OrderedDict[tuple, tuple[tuple, Markup]] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.renders = self.refusals = 0

    def get(self, key: tuple, shown: tuple) -> Markup | None:
        with self.lock:
            found = self.cards.get(key)
            if found is None or found[0] != shown:
                return None
            self.cards.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: tuple, shown: tuple, html: Markup) -> None:
        with self.lock:
            self.cards[key] = (shown, html)
            self.cards.move_to_end(key)
            while len(self.cards) > self.size:
                self.cards.popitem(last=False)


def init_card_memo(app: Any) -> None:
    app.extensions["flasky_cards"] = CardMemo(app.config["FLASKY_CARD_MEMO"])


def card_memo() -> CardMemo | None:
    """This worker's cards; None when off (``FLASKY_CARD_MEMO=0``, or templates
    reloading as they change: their cards would outlive them)."""
    memo = current_app.extensions.get("flasky_cards")
    if memo is None or not memo.size or current_app.jinja_env.auto_reload:
        return None
    return memo
