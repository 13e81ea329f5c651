"""The password login, reading a person with the organisation or authority they belong to.

Every page's header names the person's organisation or authority, and every view's access
check reads one of them: loaded with the person (one query, two small joins) they cost no
query of their own on each request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        people = get_user_model()._default_manager.select_related("organisation", "authority")
        try:
            user = people.get(pk=user_id)
        except people.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
