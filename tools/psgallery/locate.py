"""Run by the PowerShell Gallery package's PSOpenAIBridge.psm1 with each candidate interpreter: prints
where that interpreter's psopenai-batch package keeps the module (psbridge/PSOpenAIBridge.psd1); exit code 3
when it has none. Located, not imported: nothing of the package runs here."""
import importlib.util
import os
import sys

try:
    spec = importlib.util.find_spec("psbridge")
except (ImportError, ValueError):
    spec = None
folders = list((spec and spec.submodule_search_locations) or ())
manifest = os.path.join(folders[0], "PSOpenAIBridge.psd1") if folders else ""
if not manifest or not os.path.isfile(manifest) or importlib.util.find_spec("cmdlets") is None:
    sys.exit(3)
print(manifest)
