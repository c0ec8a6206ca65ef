from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pcmd.api"
    label = "api"
    verbose_name = "API"
