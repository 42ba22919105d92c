"""Tenancy's model layer: the queryset every tenant model's manager is built from.

`TenantQuerySet.for_organization(org)` is the only way views reach tenant rows. A model whose
organisation sits behind a relation sets `tenant_path` (e.g. ``tenant_path = "initiative__organization"``).
The request side (who the organisation is, the role gates) is in middleware.py and tenancy.py.
"""

from typing import TypeVar

from django.db import models

_Model = TypeVar("_Model", bound=models.Model)


class TenantQuerySet(models.QuerySet[_Model]):
    def for_organization(self, organization):
        path = getattr(self.model, "tenant_path", "organization")
        return self.filter(**{path: organization})
