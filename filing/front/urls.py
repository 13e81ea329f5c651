from django.urls import path

from filing.front import health, views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("health/", health.health, name="health"),
]
