from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from filing.orgs.auth_views import PasswordChangeView, PasswordResetConfirmView

urlpatterns = [
    path("", include("filing.front.urls")),
    path("calls/", include("filing.calls.urls")),
    path("applications/", include("filing.applications.urls")),
    path("reviews/", include("filing.reviews.urls")),
    path("publicity/", include("filing.publicity.urls")),
    path("registry/", include("filing.registry.urls", namespace="registry")),
    path("notices/", include("filing.notices.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/", include("filing.orgs.urls")),
    path("reference/", include("filing.reference.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
