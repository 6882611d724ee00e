"""SQL built once per process for the few queries that nearly every request runs, then run with its values.

Django turns a queryset into SQL at every execution. For the page a URL
routes to (some sixty columns of a Wagtail page, its venue and category) and
for the seats of an event (one aggregate with four filtered sums), building
that SQL costs the worker more than PostgreSQL takes to answer. A
``CompiledQuery`` builds its queryset once per database with *stand-ins* for
the values that change (an id, the current time), keeps the SQL, the
position of each stand-in among its parameters and the compiler that knows
how to turn rows into objects, then runs that SQL with each call's values,
turning rows into objects as Django's own ``ModelIterable`` does (the same
column map, converters and ``from_db``). ``CompiledAggregate`` does the same
for ``QuerySet.aggregate()``, whose one row it returns as the usual dict.

Only values that Django passes as parameters can change; anything else the
queryset depends on (the filters themselves, a list's length, settings) must
be fixed when it is built. Stand-ins are values no real query holds (ids near
-2³¹, instants in 1901): a query is built with two sets of them and kept only
if each stand-in stands among its parameters, at the same places in both, with
every other parameter equal (nothing derived from a stand-in); else the ORM
runs it as usual at every call.
Tests: ``tests/production/test_compiled_queries.py`` compare each with the ORM.
"""

import datetime
import logging
import threading

from django.db import DatabaseError, connections
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

logger = logging.getLogger(__name__)

# Values no real query holds, one per slot of a query; two sets, since a query is built with each (see ``_Query``).
INT_STANDINS = (
    [-(2**31) + 7919 * slot for slot in range(1, 9)],
    [-(2**31) + 7919 * slot + 3 for slot in range(1, 9)],
)
DATETIME_STANDINS = tuple(
    [datetime.datetime(year, 1, slot, 3, 17, 29, 123457, tzinfo=datetime.UTC) for slot in range(1, 9)]
    for year in (1901, 1902)
)


ID, INSTANT = "id", "instant"


def _adapt(connection, kind, value):
    """The parameter Django passes to the driver for ``value`` of this kind (an id, or an aware datetime)."""
    if kind == INSTANT:
        if value.utcoffset() is None:  # the ORM would read it in the site's time zone, this module could not
            raise ValueError(f"A compiled query takes aware instants, not {value!r}.")
        return connection.ops.adapt_datetimefield_value(value)
    return int(value)


class _Compiled:
    """One database's SQL of a query, its parameters and where each stand-in goes."""

    def __init__(self, sql, params, slots, compiler=None, names=None):
        self.sql, self.params, self.slots, self.compiler, self.names = sql, params, slots, compiler, names

    def execute(self, connection, kinds, values):
        params = list(self.params)
        for position, slot in self.slots:
            params[position] = _adapt(connection, kinds[slot], values[slot])
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()


class _Query:
    """What both kinds share: stand-ins, building once per database, falling back to the ORM."""

    def __init__(self, build, *kinds, using="default"):
        if any(kind not in (int, datetime.datetime) for kind in kinds):
            raise TypeError("A compiled query takes ids (int) and instants (datetime.datetime).")
        # Named once: a test's frozen clock replaces ``datetime.datetime`` itself.
        self.kinds = tuple(INSTANT if kind is datetime.datetime else ID for kind in kinds)
        self.build, self.using = build, using
        self._compiled = {}
        self._lock = threading.Lock()

    def standins(self, variant=0):
        ints, instants = iter(INT_STANDINS[variant]), iter(DATETIME_STANDINS[variant])
        return [next(ints) if kind == ID else next(instants) for kind in self.kinds]

    def slots(self, connection, params, variant=0):
        """[(parameter position, slot)] for each stand-in found, or None when one is missing."""
        wanted = [
            _adapt(connection, kind, value) for kind, value in zip(self.kinds, self.standins(variant), strict=True)
        ]
        found = [
            (position, slot)
            for position, param in enumerate(params)
            for slot, value in enumerate(wanted)
            if type(param) is type(value) and param == value
        ]
        if {slot for _, slot in found} != set(range(len(wanted))):
            return None
        return found

    def same_shape(self, connection, first, second):
        """The slots of a query built with each set of stand-ins as ``(sql, params)``, or None if it cannot be kept.

        Kept only when both give the same SQL, the stand-ins at the same places and every other
        parameter equal: a value derived from a stand-in (``now - 30 minutes``) would differ, and
        running the SQL with a call's values would leave it at its 1901 stand-in.
        """
        (sql, params), (other_sql, other_params) = first, second
        slots = self.slots(connection, params)
        if slots is None or sql != other_sql or len(params) != len(other_params):
            return None
        if self.slots(connection, other_params, variant=1) != slots:
            return None
        placed = {position for position, _ in slots}
        pairs = enumerate(zip(params, other_params, strict=True))
        if any(value != other_value for position, (value, other_value) in pairs if position not in placed):
            return None
        return slots

    def compiled(self):
        """This database's compiled query (built on first use), or None when it cannot be kept."""
        connection = connections[self.using]
        key = (self.using, connection.vendor)
        if key not in self._compiled:
            with self._lock:
                if key not in self._compiled:
                    try:
                        self._compiled[key] = self.compile(connection)
                    except DatabaseError:  # the database failed this once: try again at the next call
                        raise
                    except Exception:  # an unusual query: the ORM runs it each time
                        logger.warning("Query not compiled: %r", self.build, exc_info=True)
                        self._compiled[key] = None
        return connection, self._compiled[key]


class CompiledQuery(_Query):
    """``CompiledQuery(lambda pk: Page.objects.filter(pk=pk), int).objects(12)``: the model instances of a queryset.

    ``build`` takes one value per kind and returns the queryset; ``select_related``
    objects are filled in as the ORM does. Prefetches, ``values()`` and the like are not supported.
    """

    def compile(self, connection):
        queryset = self.build(*self.standins())
        if queryset._prefetch_related_lookups or queryset._iterable_class is not ModelIterable:
            return None
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        other = self.build(*self.standins(variant=1)).query.get_compiler(using=self.using).as_sql()
        slots = self.same_shape(connection, (sql, tuple(params)), (other[0], tuple(other[1])))
        return _Compiled(sql, tuple(params), slots, compiler=compiler) if slots is not None else None

    def objects(self, *values):
        connection, compiled = self.compiled()
        if compiled is None:
            return list(self.build(*values))
        locks = compiled.compiler.query.select_for_update and connection.features.has_select_for_update
        if locks and connection.get_autocommit():
            # As Django refuses it: a row lock outside a transaction would be released at once.
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        rows = compiled.execute(connection, self.kinds, values)
        compiler = compiled.compiler
        select, klass_info = compiler.select, compiler.klass_info
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, self.using)
        found = []
        for row in compiler.results_iter([rows]):
            instance = model.from_db(self.using, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in compiler.annotation_col_map.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def first(self, *values):
        """The first instance, or None."""
        found = self.objects(*values)
        return found[0] if found else None


class CompiledAggregate(_Query):
    """``CompiledAggregate(lambda pk, now: Model.objects.filter(…).aggregate(…), int, datetime).values(12, now)``.

    ``build`` runs the aggregate once with the stand-ins (its SQL is caught on the
    way to the database); later calls run that SQL and return the same dict.
    """

    def compile(self, connection):
        caught = []

        def catch(execute, sql, params, many, context):
            caught.append((sql, tuple(params or ())))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(catch):
            names = list(self.build(*self.standins()))
            self.build(*self.standins(variant=1))
        if len(caught) != 2:  # each build took more than one statement: not this module's case
            return None
        slots = self.same_shape(connection, *caught)
        sql, params = caught[0]
        return _Compiled(sql, params, slots, names=names) if slots is not None else None

    def values(self, *values):
        connection, compiled = self.compiled()
        if compiled is None:
            return self.build(*values)
        rows = compiled.execute(connection, self.kinds, values)
        return dict(zip(compiled.names, rows[0], strict=True))
