"""Issue 21, item 5: the pwsh module's import keeps the generated functions' text (and the manifests read for it)
for the next process, valid only while everything it is made from is unchanged (psbridge/startup.py). The import
itself, with and without a kept text, is exercised by the Pester suites (FirstRun, Hosting)."""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

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


# The kept text is dot-sourced and the kept manifests unpickled by every import: each is code run as the user, so
# one that someone else could have written is not read (as ssh treats ~/.ssh), and what is written is private.
# Real files, owners and modes: "someone else" is uid 65534 (nobody), which the tests (run as root) chown to.

NOBODY = 65534
skip_on_windows = pytest.mark.skipif(os.name == "nt", reason="POSIX owners and modes")


def _evil_text(cache: str, key: str) -> bytes:
    """A kept text valid for `key`, hash and all, that redefines Get-Batch: what an attacker able to write the
    file would write (the hash beside the text proves nothing against them)."""
    text, names, aliases = startup.read_cache(cache, key)
    rest = "\n".join([names.replace("\n", "\t"), aliases.replace("\n", "\t"),
                      text + "\nfunction Get-Batch { 'EVIL' }\n"]).encode()
    return f"{key} {hashlib.sha256(rest).hexdigest()}\n".encode() + rest


def _kept(tmp_path):
    text, names, aliases = generate()
    cache = str(tmp_path / "data" / "PSOpenAIBridge" / "functions-x.ps1")
    key = startup.cache_key(None)
    startup.write_cache(cache, key, text, "\n".join(names), "\n".join(aliases))
    return cache, key


@skip_on_windows
@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_kept_files_are_written_private_whatever_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        cache, key = _kept(tmp_path)
        pickled = startup.manifests_file(cache)
        startup.write_manifests(pickled, key, load_manifests())
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(os.path.dirname(cache)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(pickled).st_mode) == 0o600
    assert startup.read_cache(cache, key)[0]


@skip_on_windows
def test_an_own_folder_others_can_write_is_made_private_again(tmp_path):
    cache, key = _kept(tmp_path)
    folder = os.path.dirname(cache)
    os.chmod(folder, 0o777)                 # (an earlier version under umask 002, or a careless chmod)
    Path(cache).write_bytes(_evil_text(cache, key))
    assert startup.read_cache(cache, key) == ("", "", "")       # anyone could have put it there
    text, names, aliases = generate()
    startup.write_cache(cache, key, text, "\n".join(names), "\n".join(aliases))
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert "'EVIL'" not in startup.read_cache(cache, key)[0]


@skip_on_windows
@pytest.mark.parametrize("how", ["file owned by another user", "file writable by the group", "file writable by all",
                                 "file is a link", "folder owned by another user", "folder writable by the group",
                                 "folder is a link", "folder above writable by all", "folder above another user's",
                                 "folder above another user's, and the folder too"])
def test_a_kept_text_someone_else_could_write_is_not_run(tmp_path, how):
    cache, key = _kept(tmp_path)
    folder = os.path.dirname(cache)
    evil = _evil_text(cache, key)
    Path(cache).write_bytes(evil)
    os.chmod(cache, 0o600)
    assert "'EVIL'" in startup.read_cache(cache, key)[0]       # (the user's own file: read, as written)
    if how == "file owned by another user":
        os.chown(cache, NOBODY, NOBODY)
    elif how == "file writable by the group":
        os.chmod(cache, 0o620)
    elif how == "file writable by all":
        os.chmod(cache, 0o602)
    elif how == "file is a link":
        elsewhere = tmp_path / "elsewhere.ps1"
        os.replace(cache, elsewhere)
        os.symlink(elsewhere, cache)
    elif how == "folder owned by another user":
        os.chown(folder, NOBODY, NOBODY)
    elif how == "folder writable by the group":
        os.chmod(folder, 0o770)
    elif how == "folder is a link":
        os.replace(folder, tmp_path / "real")
        os.symlink(tmp_path / "real", folder)
    elif how == "folder above writable by all":
        os.chmod(os.path.dirname(folder), 0o777)
    elif how == "folder above another user's":
        os.chown(os.path.dirname(folder), NOBODY, NOBODY)
    elif how == "folder above another user's, and the folder too":
        # (the folder above writable by the group, as under umask 002: someone in it swapped the folder)
        os.chmod(os.path.dirname(folder), 0o775)
        os.replace(folder, tmp_path / "mine")
        os.mkdir(folder, 0o700)
        shutil.copy(tmp_path / "mine" / "functions-x.ps1", cache)
        os.chown(cache, NOBODY, NOBODY)
        os.chown(folder, NOBODY, NOBODY)
    assert startup.read_cache(cache, key) == ("", "", "")
    # Nor written to where someone else can change it (it would be read back next time); the text, kept
    # anew in the user's own folder.
    text, names, aliases = generate()
    startup.write_cache(cache, key, text, "\n".join(names), "\n".join(aliases))
    assert "'EVIL'" not in startup.read_cache(cache, key)[0]


@skip_on_windows
def test_a_kept_folder_in_a_sticky_shared_folder_like_tmp_is_used_while_it_is_the_users_own(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    cache = str(shared / "PSOpenAIBridge" / "functions-x.ps1")
    key = startup.cache_key(None)
    text, names, aliases = generate()
    startup.write_cache(cache, key, text, "\n".join(names), "\n".join(aliases))
    assert startup.read_cache(cache, key)[0] == text
    os.chown(os.path.dirname(cache), NOBODY, NOBODY)     # another user's folder of that name (made first)
    assert startup.read_cache(cache, key) == ("", "", "")


@skip_on_windows
@pytest.mark.parametrize("how", ["owned by another user", "writable by all", "a link"])
def test_kept_manifests_someone_else_could_write_are_not_unpickled(tmp_path, how):
    cache, key = _kept(tmp_path)
    pickled = startup.manifests_file(cache)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    Path(pickled).write_bytes(key.encode() + b"\n" + pickle.dumps(Evil()))
    os.chmod(pickled, 0o600)
    if how == "owned by another user":
        os.chown(pickled, NOBODY, NOBODY)
    elif how == "writable by all":
        os.chmod(pickled, 0o606)
    else:
        os.replace(pickled, tmp_path / "elsewhere.pickle")
        os.symlink(tmp_path / "elsewhere.pickle", pickled)
    assert startup.read_manifests(pickled, key) is None
    assert not marker.exists()


@skip_on_windows
def test_a_kept_file_that_is_a_fifo_or_huge_is_not_read(tmp_path):
    cache, key = _kept(tmp_path)
    os.remove(cache)
    os.mkfifo(cache, 0o600)
    assert startup.read_cache(cache, key) == ("", "", "")          # (at once: not a wait for a writer)
    os.remove(cache)
    with open(cache, "wb") as f:
        f.truncate(startup._MAX_KEPT + 1)
    os.chmod(cache, 0o600)
    assert startup.read_cache(cache, key) == ("", "", "")
