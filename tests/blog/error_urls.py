"""A URLconf with a failing view, to see the 500 page a reader would get."""

from django.urls import path


def failing_view(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", failing_view)]
