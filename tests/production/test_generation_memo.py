"""What a worker keeps between two publications (core/generation_memo.py): per generation, never outside a request."""

from core import generation_memo


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_a_fact_is_read_once_per_generation_while_serving():
    read = Counter()
    with generation_memo.serving(1):
        assert generation_memo.remember("fact", read) == 1
    with generation_memo.serving(1):
        assert generation_memo.remember("fact", read) == 1  # the next request of the same generation
    with generation_memo.serving(2):
        assert generation_memo.remember("fact", read) == 2  # a publication: read again
    assert read.calls == 2


def test_nothing_is_kept_outside_a_served_request_or_without_a_generation():
    read = Counter()
    generation_memo.remember("fact", read)
    generation_memo.remember("fact", read)
    with generation_memo.serving(None):  # the cache is down: no generation tells of publications
        generation_memo.remember("fact", read)
    assert read.calls == 3
    generation_memo.keep("other", "valeur")
    assert generation_memo.kept("other") is None


def test_an_older_generation_served_late_keeps_nothing():
    with generation_memo.serving(5):
        generation_memo.keep("fact", "de la génération 5")
    with generation_memo.serving(6):
        generation_memo.keep("fact", "de la génération 6")
    with generation_memo.serving(5):
        assert generation_memo.kept("fact") is None  # the facts now belong to generation 6


def test_a_fact_that_follows_the_clock_changes_key_each_period(monkeypatch):
    monkeypatch.setattr(generation_memo.time, "time", lambda: 10 * generation_memo.CLOCK_SECONDS + 1)
    first = generation_memo.clock_key("listing")
    monkeypatch.setattr(generation_memo.time, "time", lambda: 11 * generation_memo.CLOCK_SECONDS + 1)
    assert generation_memo.clock_key("listing") != first


def serving_generation_for(method, path):
    """The generation ``RouteMemoMiddleware`` opens the memo with for this request (None: facts read afresh)."""
    from django.test import RequestFactory

    from config.routing import RouteMemoMiddleware

    seen = []
    middleware = RouteMemoMiddleware(lambda request: seen.append(generation_memo._serving.get()))
    middleware(getattr(RequestFactory(), method)(path))
    return seen[0]


def test_a_visitors_post_reads_the_facts_of_the_generation_but_an_admin_post_does_not(db):
    from config.cache import current_generation

    generation = current_generation()
    assert serving_generation_for("post", "/inscription/12/") == generation
    assert serving_generation_for("post", "/contact/") == generation
    # Staff publish and save: the generation they started with may end during their request.
    assert serving_generation_for("post", "/admin/pages/3/edit/") is None
    assert serving_generation_for("post", "/django-admin/auth/user/add/") is None
    assert serving_generation_for("get", "/admin/") == generation
