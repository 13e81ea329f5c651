from django.urls import path

from filing.calls import views

app_name = "calls"
urlpatterns = [
    path("definitions/upload/", views.upload_definition, name="upload_definition"),
    path("<slug:code>/", views.call_detail, name="detail"),
]
