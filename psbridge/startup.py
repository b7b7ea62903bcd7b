"""The module's import, made shorter (issue 21, item 5): what the module runs first in Python, before psbridge.host
(through boot/Boot.cs, on the thread its OnImport starts or from PSOpenAIBridge.psm1).

    begin(given)   -> ('conflict NUL names NUL aliases NUL cached function text', token)
    finish(token)  -> host.load()'s (text, or '' when begun from the cache; delegates; aliases)

`begin` starts a thread that imports psbridge.host (pythonnet's type imports, cmdlets, requests) and reads the
manifests, then adds the module's own ProcessExit handler (host.prepare; Boot.cs removed pythonnet's), and returns
at once with the generated functions' text as an earlier import kept it; PowerShell compiles that text (its
slowest step of its own) while the thread works, then calls `finish`, which waits for the thread and returns the
delegates. Without a kept text (the first import, or anything it was made from changed),
`finish` makes the text and keeps it for the next process.

The kept text is one file per module folder (cache_file: Boot.cs names it beside its probe cache, in
the user's local application data), valid for one key: a hash of everything the text is made from - this file's
CACHE_VERSION, the module and manifests folders, each manifest's bytes, the generator, Errors.ps1, the manifest
reader (cmdlets/core) and the names of the help files - and only as written (its first line holds a hash of the
rest too, which catches a file cut short; it proves nothing against anyone who can write the file). What is
trusted is who can write it: a kept file is read only when it and its folder are the user's own and nobody else
can write them, nor swap the folder, as ssh treats ~/.ssh (_open_kept), and written with private permissions
(_write_whole). Nothing here imports more than the standard library modules it names: a plain interpreter can run it
(tests/python/test_startup.py).
"""
from __future__ import annotations

import hashlib
import os
import stat
import threading

CACHE_VERSION = "1"
_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)


def _files(folder: str, suffix: str) -> list[str]:
    try:
        return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(suffix))
    except OSError:
        return []


def manifests_folder(manifests: str | None) -> str:
    """The folder load_manifests reads (cmdlets.core.manifest.manifests_dir, without importing it): the one
    given, else the project's (beside cmdlets/ in a checkout, inside the package when installed)."""
    if manifests:
        return os.path.abspath(manifests)
    from importlib.util import find_spec
    spec = find_spec("cmdlets")
    package = os.path.dirname(os.path.realpath(spec.origin)) if spec and spec.origin else os.path.join(_ROOT, "cmdlets")
    for candidate in (os.path.join(os.path.dirname(package), "manifests"), os.path.join(package, "manifests")):
        if os.path.isdir(candidate):
            return candidate
    return os.path.join(os.path.dirname(package), "manifests")


def cache_key(manifests: str | None) -> str:
    """The hash of everything the generated text is made from (see the module's docstring)."""
    folder = manifests_folder(manifests)
    from importlib.util import find_spec
    spec = find_spec("cmdlets")
    core = os.path.join(os.path.dirname(os.path.realpath(spec.origin)), "core") if spec and spec.origin else ""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{_HERE}\0{folder}\0".encode())
    sources = (_files(folder, ".yaml") + [os.path.join(_HERE, "generator.py"), os.path.join(_HERE, "Errors.ps1")]
               + _files(core, ".py"))
    for path in sources:
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as f:
                digest.update(f.read())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    for path in _files(os.path.join(_HERE, "en-US"), ".xml"):      # the generator names the MAML it finds
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


_MAX_KEPT = 64 << 20     # (a kept file larger than this is not one this module wrote)


def _private(st, directory: bool) -> bool:
    """Whether a (l)stat result is a directory or regular file of this user's own that no one else can write."""
    kind = stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)
    return kind and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _safe_folder(folder: str) -> bool:
    """Whether the files in `folder` can be changed by this user only: `folder` itself (not a link) is the user's
    own and writable by nobody else, and the folder above it, which could swap the whole folder for another, is the
    user's or root's and not writable by all unless sticky like /tmp (writable by the group, as under umask 002:
    each file is checked as opened, _open_kept). Not on Windows: local application data is per user there."""
    if os.name == "nt":
        return True
    try:
        if not _private(os.lstat(folder), True):
            return False
        above = os.stat(os.path.dirname(folder))
    except OSError:
        return False
    return above.st_uid in (0, os.geteuid()) and (not above.st_mode & 0o002 or bool(above.st_mode & stat.S_ISVTX))


def _open_kept(path: str):
    """The kept file at `path` opened for reading, or None when it is not to be trusted (_safe_folder; the file
    itself a link, not the user's, writable by others, or larger than any this module writes) or not there."""
    if os.name == "nt":
        return open(path, "rb")
    if not _safe_folder(os.path.dirname(path)):
        return None
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    st = os.fstat(fd)       # (of what was opened: nothing can be swapped in between)
    if not _private(st, False) or st.st_size > _MAX_KEPT:
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def read_cache(cache_file: str, key: str) -> tuple[str, str, str]:
    """The kept (text, function names, command aliases) for this key, names and aliases one per line;
    all '' when there is none (none kept, another key, unreadable, not trusted (_open_kept), or not the bytes
    written: the first line holds their hash too, so a text cut short or edited is made again rather than
    compiled, which would leave functions out or fail the import each time)."""
    if cache_file:
        try:
            kept = _open_kept(cache_file)
            if kept is None:
                return "", "", ""
            with kept as f:
                kept_key, _, digest = f.readline().rstrip(b"\n").partition(b" ")
                if kept_key == key.encode():
                    rest = f.read()
                    if digest == hashlib.sha256(rest).hexdigest().encode():
                        names, aliases, text = rest.decode("utf-8").split("\n", 2)
                        if names and text:
                            return text, names.replace("\t", "\n"), aliases.replace("\t", "\n")
        except (OSError, UnicodeDecodeError, ValueError):
            pass
    return "", "", ""


def write_cache(cache_file: str, key: str, text: str, names: str, aliases: str) -> None:
    """Keeps the text for the next import (_write_whole). A read-only home: not kept."""
    if not cache_file or not text or not names:
        return
    rest = "\n".join([names.replace("\n", "\t"), aliases.replace("\n", "\t"), text]).encode("utf-8")
    _write_whole(cache_file, f"{key} {hashlib.sha256(rest).hexdigest()}\n".encode() + rest)


def _write_whole(path: str, data: bytes) -> None:
    """Writes `data` whole under another name, then renames it to `path`, so that a reader (another pwsh importing
    at the same moment) never sees half a file. Private: the folder is made 0700 (one of the user's own that
    others can write is made so; anyone else's, or a link, is not written to: _safe_folder), the file 0600 under
    a name no one can guess or have put a link at. Where it cannot be written, nothing is kept."""
    folder = os.path.dirname(path)
    temporary = ""
    try:
        os.makedirs(os.path.dirname(folder), exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            st = os.lstat(folder)
            if os.name != "nt" and stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and st.st_mode & 0o077:
                os.chmod(folder, 0o700)     # (made by an earlier version, or under umask 002)
        if not _safe_folder(folder):
            return
        temporary = f"{path}.{os.urandom(8).hex()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary:
            try:
                os.remove(temporary)
            except OSError:
                pass


def manifests_file(cache_file: str) -> str:
    """Where the manifests read for the kept text are kept (pickled, beside it): the import thread loads them
    from there in a few milliseconds rather than importing yaml and reading every file."""
    return os.path.splitext(cache_file)[0] + ".manifests.pickle" if cache_file else ""


def read_manifests(path: str, key: str):
    """The kept manifests for this key, or None. A pickle runs code as it loads, as the text does: read only when
    trusted (_open_kept), like the text."""
    try:
        kept = _open_kept(path)
        if kept is None:
            return None
        with kept as f:
            if f.readline().rstrip(b"\n") != key.encode():
                return None
            # (_pickle, not pickle: pickle.py looks for Jython's org.python.core, which pythonnet's import hook
            # takes for a .NET namespace and searches for, about 20 ms in a cold process.)
            from _pickle import load
            return load(f)
    except Exception:   # none, unreadable, or made by other code: read from the YAML instead
        return None


def write_manifests(path: str, key: str, manifests) -> None:
    if not path:
        return
    import pickle
    try:
        data = key.encode() + b"\n" + pickle.dumps(manifests, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:   # (not picklable: read from the YAML each time instead)
        return
    _write_whole(path, data)


def copy_conflict(module_dir: str) -> str:
    """Why the module at `module_dir` cannot run in this process, or ''. One interpreter per process, and
    one `psbridge`/`cmdlets` in its sys.modules: a second checkout or installation would silently run the
    first copy's Python, so PSOpenAIBridge.psm1 refuses it with this sentence instead."""
    import cmdlets      # (cheap: it builds its functions on first use only)
    here = os.path.realpath(_HERE)
    wanted = os.path.realpath(module_dir)
    if here != wanted:
        return (
            f"This pwsh process already runs PSOpenAIBridge from '{here}'; the copy at '{wanted}' cannot "
            f"run beside it (one Python per process). Start a new pwsh session to use '{wanted}'.")
    # A checkout holds its own cmdlets package beside psbridge: it must be the one imported.
    beside = os.path.join(os.path.dirname(wanted), "cmdlets", "__init__.py")
    loaded = os.path.realpath(os.path.abspath(cmdlets.__file__))
    if os.path.isfile(beside) and os.path.realpath(beside) != loaded:
        return (
            f"PSOpenAIBridge at '{wanted}' would run the Python package 'cmdlets' from '{os.path.dirname(loaded)}' "
            f"instead of its own '{os.path.dirname(beside)}'. Start a new pwsh session, or install one copy only.")
    return ""


def _flush_at_exit(sender, args) -> None:
    """Process exit without finalising Python: pythonnet's own handler runs Py_Finalize, which costs about
    a second (a full collection of every object) and joins no thread we start. What matters of it is kept:
    the atexit functions (logging handlers flush and close) and the standard streams' buffers."""
    import atexit
    import sys
    for preparing in list(_started):      # an import thread still running (a process that ends at once)
        preparing.thread.join(10)           # would otherwise meet .NET shutting down under it
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:   # a closed or broken stream at exit is nobody's business any more
                pass


_exit_handler = None


def add_exit_handler() -> None:
    """Adds _flush_at_exit as a ProcessExit handler, once per process. (pythonnet's own, PythonEngine.Shutdown,
    boot/Boot.cs removed right after Initialize: RemoveShutdown.)"""
    global _exit_handler
    with _exit_lock:    # (runspaces importing at once)
        if _exit_handler is None:
            from System import AppDomain, EventHandler
            _exit_handler = EventHandler(_flush_at_exit)
            AppDomain.CurrentDomain.ProcessExit += _exit_handler


_exit_lock = threading.Lock()


_started: list = []     # the _Preparing threads of this process still running (one per import at most)


class _Preparing:
    """The thread importing psbridge.host and reading the manifests; its error, if any, for finish()."""

    def __init__(self, manifests: str | None, pickled: str = "", key: str = ""):
        self.manifests, self.pickled, self.key = manifests, pickled, key
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="psbridge-import", daemon=True)
        _started.append(self)
        self.thread.start()

    def _run(self) -> None:
        try:
            manifests = read_manifests(self.pickled, self.key) if self.pickled else None
            from . import host
            host.prepare(self.manifests, manifests)
        except BaseException as exc:    # re-raised by finish() on the importing thread
            self.error = exc
        finally:
            _started.remove(self)       # (done: nothing for the exit handler to wait for; the token keeps it)

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def begin(given: str):
    """Called by boot/Boot.cs with one text (fields separated by NUL: few calls through reflection): the
    module root, the module folder, the manifests folder ('' for the project's), the file the generated text is
    kept in, then the interpreter's own sys.path entries that embedding did not reproduce. Puts the root first on
    sys.path and the rest last, then returns (answer, token): answer, 'conflict NUL names NUL aliases NUL text' - a
    sentence why this module cannot run here (then nothing is started, and the rest is empty); the function
    names and command aliases (one per line) and the function text kept for the current sources, all '' when none
    is; token, what finish() takes. Starts importing psbridge.host on another thread."""
    import sys
    root, module_dir, manifests, cache_file, *extra = given.split("\0")
    for path in [root] + [p for p in extra if p]:
        if path not in sys.path:
            sys.path.insert(0, path) if path == root else sys.path.append(path)
    # copy.py (which dataclasses imports) looks for Jython's org.python.core; pythonnet's import hook would look for
    # it among .NET's namespaces and assembly files (~12 ms on the import thread). CPython never has it.
    sys.modules.setdefault("org.python.core", None)
    conflict = copy_conflict(module_dir)
    if conflict:
        return "\0".join([conflict, "", "", ""]), None
    manifests = manifests or None
    key = cache_key(manifests)
    text, names, aliases = read_cache(cache_file, key)
    pickled = manifests_file(cache_file) if text else ""
    token = (manifests, cache_file, key, bool(text), _Preparing(manifests, pickled, key))
    return "\0".join(["", names, aliases, text]), token


def finish(token):
    """host.load()'s (text, delegates, aliases) once the thread begin() started is done (its error raised
    here, each time it is called); text '' when begin() gave it from the cache. Keeps a text it had to make."""
    manifests, cache_file, key, cached, preparing = token
    preparing.wait()
    from . import host
    text, delegates, aliases = host.load(manifests, with_text=not cached)
    if not cached:
        names = "\n".join(name for name in delegates.Keys if "/" not in name)
        write_manifests(manifests_file(cache_file), key, host.prepared_manifests(manifests))
        write_cache(cache_file, key, text, names, aliases)
    return text, delegates, aliases
