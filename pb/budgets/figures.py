"""Totals, breakdowns and per-resident figures of a set of budget lines (plain arithmetic)."""
from dataclasses import dataclass
from decimal import Decimal

from pb.budgets.states import Category, LineKind, RevenueGroup

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CategoryShare:
    category: Category
    proposed: Decimal
    last_year: Decimal
    share: Decimal  # of total expenditure, 0..1

    @property
    def change(self):
        return self.proposed - self.last_year


@dataclass(frozen=True)
class Figures:
    revenue: Decimal
    expenditure: Decimal
    revenue_last_year: Decimal
    expenditure_last_year: Decimal
    executed_expenditure_last_year: Decimal
    categories: tuple
    population: int

    @property
    def balance(self):
        return self.revenue - self.expenditure

    @property
    def expenditure_change(self):
        return self.expenditure - self.expenditure_last_year

    @property
    def expenditure_change_ratio(self):
        if not self.expenditure_last_year:
            return None
        return self.expenditure_change / self.expenditure_last_year

    def per_resident(self, amount):
        if not self.population:
            return None
        return (amount / self.population).quantize(Decimal("1"))

    @property
    def largest_share(self):
        return max((c.share for c in self.categories), default=Decimal(0))


def compute_figures(lines, population):
    """Totals of revenue and expenditure and the expenditure by category, largest first."""
    totals = {LineKind.REVENUE: [ZERO, ZERO], LineKind.EXPENDITURE: [ZERO, ZERO]}
    executed = ZERO
    by_category = {}
    for line in lines:
        totals[line.kind][0] += line.proposed
        totals[line.kind][1] += line.approved_last_year
        if line.kind == LineKind.EXPENDITURE:
            executed += line.executed_last_year
            now, before = by_category.get(line.category, (ZERO, ZERO))
            by_category[line.category] = (now + line.proposed, before + line.approved_last_year)
    expenditure = totals[LineKind.EXPENDITURE][0]
    categories = tuple(
        sorted(
            (
                CategoryShare(cat, now, before, (now / expenditure) if expenditure else Decimal(0))
                for cat, (now, before) in by_category.items()
            ),
            key=lambda c: (-c.proposed, c.category.value),
        )
    )
    return Figures(
        revenue=totals[LineKind.REVENUE][0],
        expenditure=expenditure,
        revenue_last_year=totals[LineKind.REVENUE][1],
        expenditure_last_year=totals[LineKind.EXPENDITURE][1],
        executed_expenditure_last_year=executed,
        categories=categories,
        population=population or 0,
    )


@dataclass(frozen=True)
class RevenueShare:
    group: RevenueGroup
    proposed: Decimal
    last_year: Decimal
    share: Decimal  # of total revenue, 0..1

    @property
    def change(self):
        return self.proposed - self.last_year


def revenue_by_group(lines):
    """Revenue by class of the national classification (taxes, transfers, ...), largest first."""
    sums = {}
    for line in lines:
        if line.kind == LineKind.REVENUE:
            now, before = sums.get(RevenueGroup.of(line.code), (ZERO, ZERO))
            sums[RevenueGroup.of(line.code)] = (now + line.proposed, before + line.approved_last_year)
    total = sum((now for now, _ in sums.values()), ZERO)
    return tuple(sorted(
        (RevenueShare(group, now, before, (now / total) if total else Decimal(0))
         for group, (now, before) in sums.items()),
        key=lambda r: (-r.proposed, r.group.value),
    ))
