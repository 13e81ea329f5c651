from django.urls import path

from filing.orgs import views

app_name = "orgs"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("organisation/", views.my_organisation, name="my_organisation"),
    path("organisation/members/", views.members, name="members"),
    path(
        "organisation/members/<int:pk>/deactivate/",
        views.deactivate_member,
        name="deactivate_member",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("authority/organisations/", views.organisation_list, name="organisation_list"),
    path(
        "authority/organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"
    ),
]
