from django.urls import path

from filing.calls import views

app_name = "calls"
urlpatterns = [
    path("<slug:code>/", views.call_detail, name="detail"),
]
