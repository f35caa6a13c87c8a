app_name = "consents_public"

urlpatterns: list = []
