"""Run by PSOpenAIBridge.psm1 with the chosen interpreter, once per pwsh process, before hosting it:
prints what hosting needs as JSON (its real executable, its libpython from sysconfig, its sys.path and
the Python.Runtime.dll of an installed pythonnet wheel, if any)."""
import importlib.util
import json
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


print(json.dumps({"executable": sys.executable, "version": sys.version.split()[0], "libpython": libpython(),
                  "runtime_dll": runtime_dll(), "path": sys.path[1:]}))
