"""The reviewer's workbench: which reviews a request's filters select, and the choices offered.

A bureau may hold a hundred thousand reviews, so every query here is shaped for the indexes:
filters on the application go through subqueries rather than joins where the planner would
otherwise read every row, a search that looks like a credit code is a prefix search on the
code (as people type one, from its start), and the lists of calls and cities offered as filters
are kept in the cache until a review is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict

from filing.applications.models import Application
from filing.calls.models import Call
from filing.integrity import presentation as integrity
from filing.orgs.models import Organisation
from filing.reference.models import Region
from filing.reviews import fairness
from filing.reviews.models import Review

PAGE_SIZE = 50
SORTS = {
    "received": "received_at",
    "-received": "-received_at",
    "rank": "rank",
    "name": "application__space_name",
    "city": "city_id",
}
SEARCH_LENGTH = 60
# The fields a row of the list shows (reviews/workbench.html).
SHOWN = (
    "status",
    "rank",
    "received_at",
    "application",
    "application__space_name",
    "application__rule_failures",
    "application__rule_undecided",
    "application__call",
    "application__call__title",
    "application__call__title_en",
    "application__organisation",
    "application__organisation__name",
    "application__organisation__credit_code",
    "application__organisation__city",
    "application__organisation__city__name",
    "authority",
    "authority__name",
    "authority__name_en",
)
# Upper-case letters and digits only, as a unified social credit code is written.
CREDIT_CODE_PREFIX = re.compile(r"^[0-9A-Z]{4,18}$")


def scoped(user, scope: str) -> QuerySet[Review]:
    """The reviews at the person's own authority, or ("area") in its whole jurisdiction."""
    return Review.objects.visible_to(user) if scope == "area" else Review.objects.held_by(user)


def search(reviews: QuerySet[Review], text: str) -> tuple[QuerySet[Review], bool]:
    """By space name or operator name (anywhere in them), or by the start of a credit code.
    Returns the reviews, and whether the matches were few enough to be written out as ids.

    Each way is a set looked up on its own index (on PostgreSQL, a trigram index serves "anywhere
    in the name"): the applications whose space name matches, the operators whose name or code
    does. The reviews are then read against both by their own indexes. Up to SEARCH_IDS matches
    each, the ids are written into the query: as subqueries, PostgreSQL tested every review of
    the bureau against both (twice a page: the count, then the rows).
    """
    query = text.strip()[:SEARCH_LENGTH]
    if not query:
        return reviews, False
    if CREDIT_CODE_PREFIX.match(query.upper()):
        operators = Organisation.objects.filter(credit_code__startswith=query.upper())
    else:
        operators = Organisation.objects.filter(name__icontains=query)
    by_name = _ids_or_subquery(Application.objects.filter(space_name__icontains=query))
    by_operator = _ids_or_subquery(operators)
    found = reviews.filter(Q(application_id__in=by_name) | Q(organisation_id__in=by_operator))
    return found, isinstance(by_name, list) and isinstance(by_operator, list)


SEARCH_IDS = 2000


def _ids_or_subquery(matches: QuerySet) -> list[int] | QuerySet:
    ids = list(matches.order_by().values_list("pk", flat=True)[: SEARCH_IDS + 1])
    return ids if len(ids) <= SEARCH_IDS else matches.order_by().values("pk")


def filtered(user, params: QueryDict) -> Listing:
    """The reviews the request's filters, search and sort select, ready to be paginated."""
    reviews = scoped(user, params.get("scope", "mine"))
    if code := params.get("call"):
        calls = Call.objects.filter(Q(code=code) | Q(feeds__code=code)).values("pk")
        reviews = reviews.filter(call__in=calls)
    if track := params.get("track"):
        reviews = reviews.filter(application__track=track)
    if status := params.get("status"):
        reviews = reviews.filter(status=status)
    if city := params.get("city"):
        reviews = reviews.filter(city_id=city)
    if field_code := params.get("field", "").strip():
        reviews = reviews.filter(application__field_code__startswith=field_code)
    eligibility = params.get("eligibility")
    if eligibility == "fails":
        reviews = reviews.filter(application__rule_failures__gt=0)
    elif eligibility == "passes":
        reviews = reviews.filter(application__rule_failures=0, application__rule_undecided=0)
    elif eligibility == "undecided":
        reviews = reviews.filter(application__rule_undecided__gt=0)
    reviews = integrity.filter_reviews(reviews, params.get("integrity"))
    reviews, few = search(reviews, params.get("q", ""))
    sort = SORTS.get(params.get("sort", "received"), "received_at")
    # Ties broken in the same direction, so that one index read backwards serves newest first.
    tie = "-pk" if sort.startswith("-") else "pk"
    sorted_apart = None
    if few and sort.lstrip("-") == "received_at":
        # The same order as an expression the (authority, received_at) index cannot serve, so
        # PostgreSQL reads the matches on their own indexes and sorts them (see Listing).
        arrival = Coalesce("received_at", "received_at")
        sorted_apart = (arrival.desc() if sort.startswith("-") else arrival.asc(), tie)
    shown = (
        integrity.with_signal_counts(Review.objects.all())
        .annotate(conflicted=fairness.conflict_flag(user))
        .select_related(
            "application",
            "application__call",
            "application__organisation",
            "application__organisation__city",
            "authority",
        )
        # Only what a row shows (each column read is a value to convert, fifty times a page).
        .only(*SHOWN)
    )
    return Listing(reviews.order_by(sort, tie), shown, sorted_apart)


# A search's matches up to this many are sorted on their own (Listing).
SORTED_APART = 2000


@dataclass
class Listing:
    """The filtered reviews as the paginator reads them: counted and paged on the reviews alone
    (with only the joins a filter or sort needs), then the page's rows read by id with what the
    list shows, so the joins and the per-row subqueries are planned for fifty known rows.

    Paged in arrival order, PostgreSQL walks the bureau's arrival index and tests each review
    against the filters: cheap when matches are many, but a search whose few matches arrived
    together made it walk 62,449 reviews for a page of 50 at 100,000. Up to SORTED_APART
    matches of such a search are read on their own indexes and sorted instead (`sorted_apart`,
    the same order); sorting more than that costs more than the walk.
    """

    reviews: QuerySet[Review]  # filtered and ordered
    shown: QuerySet[Review]  # what a row of the list reads
    sorted_apart: tuple | None = None
    _count: int | None = field(default=None, init=False, repr=False)

    def count(self) -> int:
        if self._count is None:
            self._count = self.reviews.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Review]:
        reviews = self.reviews
        if self.sorted_apart and self.count() <= SORTED_APART:
            reviews = reviews.order_by(*self.sorted_apart)
        ids = list(reviews.values_list("pk", flat=True)[index])
        rows = self.shown.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


# The calls and cities offered as filters are kept for a while: finding them reads every
# review in scope. Any new review (an application arriving at a level) makes them stale at once.
CHOICES_SECONDS = 10 * 60
CHOICES_VERSION_KEY = "workbench-choices-version"


def choices_changed() -> None:
    """Forget every workbench's filter choices (a review was added somewhere)."""
    try:
        cache.incr(CHOICES_VERSION_KEY)
    except ValueError:
        cache.set(CHOICES_VERSION_KEY, 1, None)


def filter_choices(user, scope: str) -> tuple[list[Call], list[Region]]:
    """The calls and cities that have at least one review in the person's scope."""
    version = cache.get_or_set(CHOICES_VERSION_KEY, 1, None)
    key = f"workbench-choices:{version}:{user.authority_id}:{scope == 'area'}"
    found = cache.get(key)
    if found is not None:
        call_ids, city_codes = found
        calls = Call.objects.filter(pk__in=call_ids)
        cities = Region.objects.filter(pk__in=city_codes)
    else:
        base = scoped(user, scope)
        calls = Call.objects.filter(pk__in=base.values("call"))
        cities = Region.objects.filter(pk__in=base.values("city"))
    calls = list(calls.order_by("-year", "code"))
    cities = list(cities.order_by("code"))
    if found is None:
        cache.set(key, ([c.pk for c in calls], [r.pk for r in cities]), CHOICES_SECONDS)
    return calls, cities
