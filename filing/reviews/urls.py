from django.urls import path

from filing.reviews import fairness_views, views

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
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("lists/<slug:code>/<slug:level_key>/", views.level_list, name="level_list"),
    path("lists/<slug:code>/<slug:level_key>/rank/", views.rank, name="rank"),
    path("lists/<slug:code>/<slug:level_key>/sign-off/", views.sign_off, name="sign_off"),
    path("lists/<slug:code>/<slug:level_key>/forward/", views.forward, name="forward"),
    path("lists/<slug:code>/<slug:level_key>/letter.<str:kind>", views.letter, name="letter"),
    path("lists/<slug:code>/<slug:level_key>/summary.<str:kind>", views.summary, name="summary"),
    path("lists/<slug:code>/<slug:level_key>/materials/", views.package, name="package"),
    path("packages/<int:pk>/", views.package_build, name="package_build"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
    # deadlines and conflicts of interest
    path("<int:pk>/conflict/", fairness_views.declare_conflict, name="declare_conflict"),
    path("<int:pk>/extend/", fairness_views.extend_application, name="extend_application"),
    path(
        "lists/<slug:code>/<slug:level_key>/extend/",
        fairness_views.extend_list,
        name="extend_list",
    ),
]
