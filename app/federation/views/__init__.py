"""The federation blueprint's endpoints, one module per area."""

from app.federation.views import actors, administration, discovery, following, inbox  # noqa: F401
