app_name = "register_public"

urlpatterns: list = []
