"""A short, readable name for the device behind a User-Agent string ("Firefox on
Linux"), for the sessions page. A guess from well-known tokens, never a promise:
browsers copy each other's tokens, so the more specific ones are tried first."""

BROWSERS = (  # (token in the User-Agent, name), most specific first
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl"), ("python-requests/",
    "Python requests"), ("HeadlessChrome", "Chrome"),
)
SYSTEMS = (
    ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
    ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
)


def _first(user_agent: str, pairs: tuple[tuple[str, str], ...]) -> str | None:
    return next((name for token, name in pairs if token in user_agent), None)


def describe_device(user_agent: str | None) -> tuple[str | None, str | None]:
    """(browser, system), either None when not recognised."""
    text = user_agent or ""
    return _first(text, BROWSERS), _first(text, SYSTEMS)
