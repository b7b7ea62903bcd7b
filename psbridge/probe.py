"""Run by PSOpenAIBridge.psm1 with the chosen interpreter, once per pwsh process, before hosting it (and not
again while the answer it keeps is valid): prints what hosting needs, as fields separated by NUL characters
(which no path holds; plain text, so that a cold pwsh reads it without loading a JSON reader): its real
executable, its version, its libpython from sysconfig (or ''), the Python.Runtime.dll of an installed
pythonnet wheel (or ''), then each entry of its sys.path after the script's folder."""
import importlib.util
import os
import sys
import sysconfig


def libpython():
    var = sysconfig.get_config_var
    names = [var("INSTSONAME"), var("LDLIBRARY")]
    if os.name == "nt":
        names.append(f"python{sys.version_info[0]}{sys.version_info[1]}.dll")
    libdir = var("LIBDIR") or ""
    dirs = [libdir, os.path.join(libdir, var("MULTIARCH") or ""), var("LIBPL"), var("PYTHONFRAMEWORKPREFIX"),
            os.path.join(sys.base_prefix, "lib"), sys.base_prefix, os.path.dirname(sys._base_executable)]
    for name in filter(None, names):
        if name.endswith(".a"):         # a static build has no library to load
            continue
        for d in filter(None, dirs):
            path = os.path.join(d, name)
            if os.path.isfile(path):
                return path
    return None


def runtime_dll():
    spec = importlib.util.find_spec("pythonnet")    # located, not imported
    for folder in (spec and spec.submodule_search_locations) or ():
        path = os.path.join(folder, "runtime", "Python.Runtime.dll")
        if os.path.isfile(path):
            return path
    return None


fields = [sys.executable, sys.version.split()[0], libpython() or "", runtime_dll() or "", *sys.path[1:]]
sys.stdout.buffer.write("\0".join(fields).encode("utf-8", "surrogateescape"))     # (UTF-8 whatever the locale)
