from django.apps import AppConfig
from django.core import checks

from . import formatting


class ReferencesConfig(AppConfig):
    name = "references"

    def ready(self):
        checks.register(formatting.check_style)
