"""Access cases for this app's URLs (see integration_hub.testing.UrlCase)."""

from integration_hub.testing import UrlCase

CASES = {
    "evaluations:index": UrlCase(),
}
