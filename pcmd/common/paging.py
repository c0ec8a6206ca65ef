"""Pages of long lists whose exact length costs more than the page itself.

Owns: COUNT_CAP, CappedPaginator.
Invariants: the count reads at most COUNT_CAP + 1 rows (a LIMIT inside the COUNT), so a
province's ten years of records are numbered as fast as a commune's; past the cap the list says
"more than" and offers pages up to the cap — narrowing the filters or reversing the sort reaches
the rest. The page's rows are the same as Django's Paginator gives.
Not here: what is listed and who may see it (the apps' selectors).
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

# 400 pages of 25: a COUNT(*) over the whole of a province's awareness events (10 M rows at
# national scale) took 0.3-3 s on PostgreSQL; over 10,001 rows of the index a few ms.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Paginator whose count stops at COUNT_CAP (see the module's invariants)."""

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # No ORDER BY (it would sort every row before the LIMIT) and no annotations (a
            # list's per-row subqueries would run for each counted row): only the ids.
            return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self._counted, COUNT_CAP)

    @cached_property
    def capped(self) -> bool:
        """True when the list holds more than COUNT_CAP items: `count` is then a floor."""
        return self._counted > COUNT_CAP
