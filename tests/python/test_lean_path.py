"""Issue 11: what the per-request path no longer does - format messages nobody sees, resolve the same
configuration twice - and what it still does per request (reveal a secret that decrypts on demand)."""
from __future__ import annotations

import logging

import cmdlets
from cmdlets.core.client import ApiClient
from cmdlets.core.config import ClientConfig, _credentials
from cmdlets.core.host import PythonHost
from cmdlets.core.secrets import Secret
from conftest import API_KEY


class CountingHost(PythonHost):
    def __init__(self, shown: bool):
        super().__init__()
        self.shown, self.messages = shown, []

    def wants(self, stream: str) -> bool:
        return self.shown

    def verbose(self, message: str) -> None:
        self.messages.append(("verbose", message))

    def debug(self, message: str) -> None:
        self.messages.append(("debug", message))


def test_messages_are_only_made_for_a_host_that_shows_them(emu):
    batch = emu.seed_batch(status="in_progress")
    for shown in (False, True):
        host = CountingHost(shown)
        ApiClient(ClientConfig.resolve(api_base=emu.base_url, api_key=API_KEY), host).post(
            "batches", batch["id"], "cancel", body={"note": API_KEY})
        if shown:
            kinds = [k for k, _ in host.messages]
            assert kinds == ["verbose", "debug", "verbose"]
            assert all(API_KEY not in m for _, m in host.messages)      # masked, as before
        else:
            assert host.messages == []


def test_python_host_wants_follows_the_logger_level(caplog):
    host = PythonHost()
    with caplog.at_level(logging.WARNING, logger="cmdlets"):
        assert not host.wants("verbose") and not host.wants("debug")
    with caplog.at_level(logging.DEBUG, logger="cmdlets"):
        assert host.wants("verbose") and host.wants("debug")


def test_a_plain_key_is_resolved_once_a_key_that_decrypts_on_demand_per_request(emu):
    assert Secret.of(API_KEY) is Secret.of(API_KEY)
    first = ClientConfig.resolve(api_base=emu.base_url, api_key=API_KEY)
    second = ClientConfig.resolve(api_base=emu.base_url, api_key=API_KEY)
    assert first == second and _credentials(first) is _credentials(second)

    reveals = []

    def decrypt() -> str:
        reveals.append(1)
        return API_KEY

    batch = emu.seed_batch(status="in_progress")
    client = ApiClient(ClientConfig.resolve(api_base=emu.base_url, api_key=Secret(decrypt)))
    client.get("batches", batch["id"])
    after_one = len(reveals)
    client.get("batches", batch["id"])
    assert after_one >= 1 and len(reveals) == 2 * after_one      # not kept between requests
    assert cmdlets.get_batch(batch["id"], api_key=Secret(decrypt)).id == batch["id"]


def test_importing_cmdlets_builds_nothing_until_a_name_is_used():
    """Issue 21, item 5: `import cmdlets` (and the pwsh module's imports of its submodules) neither reads the
    manifests nor imports requests; the first public name looked up builds every function at once."""
    import subprocess
    import sys
    script = (
        "import sys, cmdlets\n"
        "assert 'requests' not in sys.modules and 'yaml' not in sys.modules, sorted(sys.modules)\n"
        "assert cmdlets._built is None\n"
        "from cmdlets import stop_batch, Client, Batch, NotFoundError, Secret\n"
        "assert stop_batch.__name__ == 'stop_batch' and stop_batch.__doc__\n"
        "assert cmdlets.register_openai_file is cmdlets.add_openai_file\n"
        "assert 'stop_batch' in cmdlets.__all__ and 'register_openai_file' not in cmdlets.__all__\n"
        "assert 'stop_batch' in dir(cmdlets)\n"
        "ns = {}\n"
        "exec('from cmdlets import *', ns)\n"
        "assert set(cmdlets.__all__) <= set(ns)\n"
        "import cmdlets.aio\n"
        "assert cmdlets.aio.AsyncClient and cmdlets.aio.stop_batch\n"
        "try:\n"
        "    cmdlets.no_such_cmdlet\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('no AttributeError')\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
