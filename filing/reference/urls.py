from django.urls import path

from filing.reference import views

app_name = "reference"
urlpatterns = [
    path("fields/", views.catalogue, name="catalogue"),
    path("fields/search/", views.field_search, name="field_search"),
]
