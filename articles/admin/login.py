from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class LoginForm(AdminAuthenticationForm):
    """The admin's login form. Someone whose password is right but who has no role (see
    ``articles.roles``) is told so, rather than that their password is wrong."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "no_role": (
            "This account has no role yet. Ask a site admin to add you to Editors, Medical reviewers or Site admins."
        ),
    }

    def confirm_login_allowed(self, user):
        if user.is_active and not user.is_staff:
            raise ValidationError(self.error_messages["no_role"], code="no_role")
        super().confirm_login_allowed(user)
