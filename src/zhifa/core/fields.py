"""Model fields shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from zhifa.core import clock


class ClockDateTimeField(models.DateTimeField):
    """A ``DateTimeField`` whose ``auto_now`` / ``auto_now_add`` stamp comes from zhifa's one clock.

    Django stamps those from the wall clock; a demo built ``--as-of`` a past day, or a test suite run on a set
    day, would then show records created after the acts they record. Migrations see a plain
    ``DateTimeField`` (``deconstruct``), since the stamp is taken in Python, never by the database.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value: dt.datetime = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
