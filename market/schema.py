"""The whole database schema: imports every module that defines tables.

Alembic, `catalog.db` users and the tests import this so SQLModel.metadata holds every table
(and every mapper is configured with all of them present). A feature that adds tables lists
its models module here; tests/test_layers.py checks that none is missing.
"""

from __future__ import annotations

from catalog import outbox as outbox  # noqa: F401
from catalog.audit import models as audit_models  # noqa: F401
from catalog.chains import models as chain_models  # noqa: F401
from catalog.engagements import models as engagement_models  # noqa: F401
from catalog.enterprises import models as enterprise_models  # noqa: F401
from catalog.events import models as event_models  # noqa: F401
from catalog.leads import models as lead_models  # noqa: F401
from catalog.notifications import models as notification_models  # noqa: F401
from catalog.progress import models as progress_models  # noqa: F401
from catalog.provider_applications import models as application_models  # noqa: F401
from catalog.providers import models as provider_models  # noqa: F401
from catalog.revisions import models as revision_models  # noqa: F401
from catalog.showcase import models as showcase_models  # noqa: F401
from catalog.solutions import models as solution_models  # noqa: F401
from catalog.users import models as user_models  # noqa: F401
from market import models as market_models  # noqa: F401
