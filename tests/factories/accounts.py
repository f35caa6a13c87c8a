__all__ = ["UserFactory"]

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import STAFF_ROLES


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@rezulto.example")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role="Klantenservice") puts the user in that group (setup_roles first)."""
        if not create or not extracted:
            return
        user.groups.add(Group.objects.get(name=extracted))
        user.is_staff = extracted in STAFF_ROLES
        user.save(update_fields=["is_staff"])
