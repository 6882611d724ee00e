"""The benchmark floor: the cheapest Django view, through the same middleware and gunicorn.

Mounted at /bench/floor/ only when BENCHMARK_FLOOR is set (benchmarks/pages.py does).
"""

from django.http import HttpResponse


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")
