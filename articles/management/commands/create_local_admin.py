import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = Path(settings.BASE_DIR) / ".admin-password"


class Command(BaseCommand):
    help = (
        "For a laptop: create the superuser 'admin' with a generated password, kept in "
        ".admin-password (git ignores it) and printed each time."
    )

    def handle(self, **options):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists() or not PASSWORD_FILE.exists():
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username="admin")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        password = PASSWORD_FILE.read_text().strip()
        self.stdout.write(f"Admin: http://127.0.0.1:8000/admin/  user: admin  password: {password}")
