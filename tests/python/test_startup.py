"""Issue 21, item 5: the pwsh module's import keeps the generated functions' text (and the manifests read for it)
for the next process, valid only while everything it is made from is unchanged (psbridge/startup.py). The import
itself, with and without a kept text, is exercised by the Pester suites (FirstRun, Hosting)."""
from __future__ import annotations

import shutil
from pathlib import Path

from cmdlets.core.manifest import load_manifests
from psbridge import startup
from psbridge.generator import generate

ROOT = Path(__file__).resolve().parents[2]


def test_the_key_changes_with_any_manifest_and_only_then(tmp_path):
    folder = tmp_path / "manifests"
    shutil.copytree(ROOT / "manifests", folder)
    first = startup.cache_key(str(folder))
    assert startup.cache_key(str(folder)) == first
    assert startup.cache_key(None) != first         # another folder, another key
    stop = folder / "Stop-Batch.yaml"
    stop.write_text(stop.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert startup.cache_key(str(folder)) != first
    (folder / "Stop-Batch.yaml").unlink()
    assert startup.cache_key(str(folder)) != first


def test_the_default_folder_is_the_one_load_manifests_reads():
    assert Path(startup.manifests_folder(None)) == Path(next(iter(load_manifests().values())).path).parent


def test_kept_text_is_read_back_for_its_key_only(tmp_path):
    text, names, aliases = generate()
    cache = str(tmp_path / "data" / "functions-x.ps1")
    key = startup.cache_key(None)
    assert startup.read_cache(cache, key) == ("", "", "")          # nothing kept yet
    startup.write_cache(cache, key, text, "\n".join(names), "\n".join(aliases))
    assert startup.read_cache(cache, key) == (text, "\n".join(names), "\n".join(aliases))
    assert startup.read_cache(cache, "another key") == ("", "", "")
    whole = Path(cache).read_bytes()
    for changed in (whole[:whole.index(b"\nfunction Get-Batch {")], whole + b"\nfunction Get-Batch { throw 'x' }"):
        Path(cache).write_bytes(changed)                                # cut short or edited: made again
        assert startup.read_cache(cache, key) == ("", "", "")
    Path(cache).write_bytes(b"\xff\xfe not text")                      # unreadable: made again
    assert startup.read_cache(cache, key) == ("", "", "")
    assert not list(Path(cache).parent.glob("*.tmp"))                   # written whole, then renamed
    assert startup.read_cache("", key) == ("", "", "")                 # no home: nothing kept


def test_kept_manifests_are_the_manifests_for_their_key_only(tmp_path):
    manifests = load_manifests()
    path = startup.manifests_file(str(tmp_path / "functions-x.ps1"))
    startup.write_manifests(path, "k1", manifests)
    kept = startup.read_manifests(path, "k1")
    assert list(kept) == list(manifests)
    assert kept["Stop-Batch"].parameters == manifests["Stop-Batch"].parameters
    assert startup.read_manifests(path, "k2") is None
    Path(path).write_bytes(b"k1\nnot a pickle")
    assert startup.read_manifests(path, "k1") is None
    assert startup.read_manifests(str(tmp_path / "none"), "k1") is None
