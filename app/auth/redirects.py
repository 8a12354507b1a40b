"""Where it is safe to send someone back to after logging in."""

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None.

    Refuses absolute URLs (``https://evil.com``), scheme-relative ones
    (``//evil.com``), other schemes (``javascript:``) and backslashes, which
    some browsers read as slashes (``/\\evil.com``).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
