"""Django's password views, with the change written to the audit trail."""

from django.contrib.auth import views as auth_views

from filing.audit.services import record


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        record("user.password_changed", actor=self.request.user, obj=self.request.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        record("user.password_reset", actor=form.user, obj=form.user)
        return response
