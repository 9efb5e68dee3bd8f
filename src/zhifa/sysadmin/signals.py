"""API tokens die with the password and the access that made them safe (issue 18).

- a password change (through any path: the password page, the admin site, ``changepassword``) revokes every
  token of the account: Django's ``AbstractBaseUser.save`` still holds the new password in ``_password`` when
  ``post_save`` runs;
- a lockout (django-axes ``user_locked_out``) revokes every token of the locked username;
- disabling an account revokes them in ``services.account_set_active`` itself.

Each revocation goes through ``services.tokens_revoke_all`` (one ledger entry, nothing when there is no
usable token).
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from zhifa.org.models import TokenRevokeReason, User
from zhifa.sysadmin.services import tokens_revoke_all


@receiver(post_save, sender=User, dispatch_uid="zhifa.sysadmin.tokens_on_password_change")
def _password_changed(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if created or getattr(instance, "_password", None) is None:
        return

    tokens_revoke_all(user=instance, reason=TokenRevokeReason.PASSWORD)


@receiver(user_locked_out, dispatch_uid="zhifa.sysadmin.tokens_on_lockout")
def _locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        return

    tokens_revoke_all(user=user, reason=TokenRevokeReason.LOCKED)
