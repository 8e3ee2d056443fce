import pytest
from werkzeug.http import parse_options_header

from tools import altinn_environments
from tools.altinn_http import content_disposition


def test_production_and_tt02_urls():
    prod = altinn_environments.get_environment("prod")
    test = altinn_environments.get_environment("test", app="aarsregnskap-vanlig-202506")
    assert prod.app_url == "https://brg.apps.altinn.no/brg/aarsregnskap-vanlig-202406"
    assert test.app_url == "https://brg.apps.tt02.altinn.no/brg/aarsregnskap-vanlig-202506"
    assert prod.audience == "https://maskinporten.no/"
    assert test.token_url == "https://test.maskinporten.no/token"
    assert test.inbox_url == "https://af.tt02.altinn.no/inbox"
    assert prod.app_resource == "app_brg_aarsregnskap-vanlig-202406"
    assert prod.register_lookup_url("912345678").endswith("/regnskap/912345678")


def test_simulator_serves_every_host_under_one_base():
    env = altinn_environments.get_environment("simulator", simulator_url="http://127.0.0.1:9/")
    urls = [env.token_url, env.platform_url, env.app_url, env.inbox_url, env.register_url]
    assert all(url.startswith("http://127.0.0.1:9/") for url in urls)
    assert len({url.split("/")[3] for url in urls}) == len(urls)


def test_unknown_environment():
    with pytest.raises(ValueError):
        altinn_environments.get_environment("staging")


@pytest.mark.parametrize("name", ["report.pdf", "Årsberetning «2025».pdf"])
def test_content_disposition_round_trips(name):
    # RFC 6266: a receiver that knows filename* prefers it to the ASCII fallback.
    header = content_disposition(name)
    assert header.isascii()
    assert parse_options_header(header) == ("attachment", {"filename": name})
