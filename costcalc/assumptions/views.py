from django.http import HttpResponse


def set_list(request):
    return HttpResponse("todo")


def set_detail(request, slug, version=None):
    return HttpResponse("todo")
