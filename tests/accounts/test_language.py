def test_the_back_office_speaks_dutch_by_default(client):
    response = client.get("/accounts/login/")
    assert 'lang="nl"' in response.content.decode()
    assert "Wachtwoord" in response.content.decode()


def test_the_language_switch_turns_the_back_office_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert 'lang="en"' in response.content.decode()
    assert "Password" in response.content.decode()
