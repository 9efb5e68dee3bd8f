import pytest

pytestmark = pytest.mark.django_db


def test_portal_home_renders_anonymously_with_skip_link_and_display_toggles(client):
    response = client.get("/public/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#main"' in html
    assert 'data-portal-toggle="large"' in html and 'data-portal-toggle="contrast"' in html


def test_display_mode_cookies_put_classes_on_html(client):
    client.cookies["portal_large"] = "1"
    client.cookies["portal_contrast"] = "1"
    html = client.get("/public/").content.decode()
    assert '<html lang="zh-hans" class="pt-large pt-contrast">' in html
