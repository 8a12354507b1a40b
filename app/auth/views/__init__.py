"""The account pages, one module per area."""

from app.auth.views import addresses, login, passwords, registration, two_factor  # noqa: F401
