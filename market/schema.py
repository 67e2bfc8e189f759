"""The whole database schema: imports every module that defines tables.

Alembic and the tests import this so SQLModel.metadata holds every table.
Packages that add tables list their model modules here.
"""

from __future__ import annotations

from catalog import models as catalog_models  # noqa: F401
