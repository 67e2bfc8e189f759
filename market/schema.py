"""The whole database schema: imports every module that defines tables.

Alembic and the tests import this so SQLModel.metadata holds every table.
Packages that add tables list their model modules here.
"""

from __future__ import annotations

from catalog import application_models as application_models  # noqa: F401
from catalog import event_models as event_models  # noqa: F401
from catalog import models as catalog_models  # noqa: F401
from catalog import notification_models as notification_models  # noqa: F401
from catalog import progress_models as progress_models  # noqa: F401
from catalog import revision_models as revision_models  # noqa: F401
from market import models as market_models  # noqa: F401
