"""A test-only model with sealed fields; its table is made by conftest.py, not a migration."""

from django.db import models

from pcmd.sealing.fields import SealedCharField, SealedDateField, SealedTextField


class SealedSample(models.Model):
    code = models.CharField(max_length=20)
    full_name = SealedCharField(max_length=120, blank=True)
    name_index = models.CharField(max_length=64, db_index=True, blank=True)
    id_number = SealedCharField(max_length=20, blank=True)
    phone = SealedCharField(max_length=20, blank=True)
    address = SealedTextField(blank=True)
    birth_date = SealedDateField(null=True, blank=True)

    class Meta:
        app_label = "sealing"

    def __str__(self) -> str:
        return self.code
