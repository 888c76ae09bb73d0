from django.shortcuts import render


def catalog(request):
    return render(request, "projects/catalog.html", {"entries": []})
