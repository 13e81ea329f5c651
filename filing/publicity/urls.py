from django.urls import path

from filing.publicity import views

app_name = "publicity"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.notice, name="notice"),
    path("<int:pk>/object/", views.lodge, name="lodge"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("objections/", views.find_objection, name="find_objection"),
    path("objections/<str:reference>/", views.objection_status, name="objection_status"),
    path("objections/<int:pk>/handle/", views.handle, name="handle"),
    path("objections/<int:pk>/files/<int:file_pk>/", views.objection_file, name="objection_file"),
    path("open/<slug:code>/<slug:level_key>/", views.open_publicity, name="open"),
]
