from django.urls import path

from filing.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.filed_list, name="list"),
    path("<int:pk>/", views.filed_space_detail, name="detail"),
]
