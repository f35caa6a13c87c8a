from django.core.management.base import BaseCommand

from accounts.demo_users import create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role and print their passwords (only when DEBUG is on)."

    def handle(self, *args, **options):
        self.stdout.write("Demo users (http://127.0.0.1:8000/):")
        for username, password, role in create_demo_users():
            self.stdout.write(f"  {role:<16} user {username:<10} password {password}")
