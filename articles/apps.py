from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed

from articles import roles


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        m2m_changed.connect(
            roles.staff_follows_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="articles.roles.staff_follows_roles",
        )
