"""Test URLs: the site's own, plus views that stand for pages the cache must never share."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.cache import cache_control

FORM_PAGE = engines["django"].from_string(
    '<form method="post">{% csrf_token %}<label>Courriel <input name="email"></label></form>'
)


def form_page(request):
    """Like the contact page or the registration form: a CSRF token in the HTML."""
    return HttpResponse(FORM_PAGE.render({}, request))


@cache_control(private=True)
def private_page(request):
    return HttpResponse("privé")


def cookie_page(request):
    response = HttpResponse("cookie")
    response.set_cookie("choix", "1")
    return response


def plain_page(request):
    return HttpResponse(f"rendu {request.GET.get('n', '')}")


urlpatterns = [
    path("test/formulaire/", form_page),
    path("test/prive/", private_page),
    path("test/cookie/", cookie_page),
    path("test/simple/", plain_page),
    path("", include("config.urls")),
]
