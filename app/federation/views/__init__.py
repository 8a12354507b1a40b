"""The federation blueprint's endpoints, one module per area."""

from app.federation.views import (  # noqa: F401
    actors,
    administration,
    approvals,
    discovery,
    following,
    inbox,
)
