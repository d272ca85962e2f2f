"""HEAD for the API's GET endpoints.

django-ninja routes by method and answers HEAD with 405; Django's own views answer it wherever
GET works (``require_safe``). Here an API HEAD runs as the GET it asks about; the server (or
costcalc/wsgi.py) sends the headers without the body.
"""

from django.http import HttpRequest

API_PREFIX = "/api/"


def head_as_get(get_response):
    def middleware(request: HttpRequest):
        if request.method == "HEAD" and request.path.startswith(API_PREFIX):
            request.method = "GET"
            response = get_response(request)
            request.method = "HEAD"
            return response
        return get_response(request)

    return middleware
