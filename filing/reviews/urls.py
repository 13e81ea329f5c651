from django.urls import path

from filing.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("area/", views.area, name="area"),
    path("organisations/<int:pk>/dishonesty/", views.record_dishonesty, name="record_dishonesty"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/take-up/", views.take_up, name="take_up"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/return/", views.return_for_revision, name="return"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/filing/", views.decide_filing, name="decide_filing"),
    path("lists/<slug:code>/<slug:level_key>/", views.level_list, name="level_list"),
    path("lists/<slug:code>/<slug:level_key>/rank/", views.rank, name="rank"),
    path("lists/<slug:code>/<slug:level_key>/sign-off/", views.sign_off, name="sign_off"),
    path("lists/<slug:code>/<slug:level_key>/forward/", views.forward, name="forward"),
    path("lists/<slug:code>/<slug:level_key>/letter.<str:kind>", views.letter, name="letter"),
    path("lists/<slug:code>/<slug:level_key>/summary.<str:kind>", views.summary, name="summary"),
    path("lists/<slug:code>/<slug:level_key>/materials.zip", views.package, name="package"),
]
