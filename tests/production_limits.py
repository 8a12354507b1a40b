"""API tests with the abuse limits on, at their production values (this module
holds no tests of its own).

The testing config turns the limits off; these tests turn them back on with
the values a production server runs with, so that the 429s a real client can
meet happen here too.
"""

from config import ProductionConfig
from tests.test_api_base import ApiTestCase

PRODUCTION_LIMITS = {
    "RATELIMIT_ENABLED": True,
    **{name: getattr(ProductionConfig, name) for name in dir(ProductionConfig)
       if name.startswith("FLASKY_RATELIMIT_")},
}


def address(number: int) -> dict[str, str]:
    """The environ of a client at its own address: the limits count per address
    (and per account), so separate clients do not throttle one another."""
    return {"REMOTE_ADDR": f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"}


class ProductionLimitsTestCase(ApiTestCase):
    config = PRODUCTION_LIMITS
