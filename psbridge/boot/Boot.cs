// PSOpenAIBridge's start-up in .NET: finds what an earlier import learnt about the Python to host (the kept probe
// answer), starts that Python through pythonnet and begins the module's Python import (psbridge/startup.py).
//
// Why .NET and not the psm1: a whole `pwsh -c 'Import-Module PSOpenAIBridge; Stop-Batch ...'` waits mostly for one
// serial chain - pythonnet's Initialize, then Python's imports - that PowerShell could only begin after parsing
// and running its psm1 (issue 21, item 5). The module manifest loads this assembly as a nested module, before the
// psm1, and OnImport starts the chain on a thread of its own at once, so that parsing the psm1, compiling the
// generated functions and binding the first command run beside it. Without a kept answer (the first import, or
// anything it was made from changed) nothing starts early: the psm1 probes the interpreter (a process) and calls
// Start itself. Either way the psm1 calls Take, then Start, so the chain is written once, here.
//
// pythonnet is reached by reflection: the Python.Runtime.dll loaded is the one the kept answer or the probe names
// (a pythonnet wheel's, a NuGet package's), not one this assembly was built against.
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace PSOpenAIBridge
{
    public sealed class Boot : IModuleAssemblyInitializer
    {
        /// <summary>The kept probe answer's first field: another layout (an older or newer module) is not read.</summary>
        public const string ProbeFormat = "PSOpenAIBridge probe 3";

        // What the import runs in Python once the engine is up (psbridge/startup.py says what begin does).
        const string BeginCode = "import sys\n" +
            "root = given.split(\"\\0\", 1)[0]\n" +
            "if root not in sys.path:\n" +
            "    sys.path.insert(0, root)\n" +
            "import psbridge.startup as startup\n" +
            "answer, token = startup.begin(given)\n";

        static readonly object Gate = new object();
        static Early early;

        sealed class Early
        {
            public string Folder;
            public Thread Thread;
            public object[] Result;
            public ExceptionDispatchInfo Error;
            public bool Taken;
        }

        /// <summary>Whether this process's Python was started by OnImport, before the psm1 ran (for tests).</summary>
        public static bool StartedEarly { get; private set; }

        /// <summary>Called by PowerShell when it imports the module manifest's nested modules, before the psm1.</summary>
        public void OnImport()
        {
            StartAnalysisCache();
            try
            {
                // Under ConstrainedLanguage the psm1 refuses to run (it says why); nothing is started for it, and
                // no interpreter named by a file in the user's own folders is run.
                Runspace runspace = Runspace.DefaultRunspace;
                if (runspace == null || runspace.SessionStateProxy.LanguageMode != PSLanguageMode.FullLanguage) return;
                string folder = Path.GetDirectoryName(typeof(Boot).Assembly.Location);
                if (PythonStarted) return;     // (the psm1's Start is quick then)
                string[] kept = ReadKept(folder);
                if (kept == null) return;
                lock (Gate)
                {
                    if (early != null) return;      // (another runspace's import got here first)
                    var started = new Early { Folder = folder };
                    started.Thread = new Thread(() =>
                    {
                        try { started.Result = Start(folder, Environment.GetEnvironmentVariable("PSOPENAIBRIDGE_MANIFESTS"), kept[0], kept[1], kept[2], kept[3..]); }
                        catch (Exception e) { started.Error = ExceptionDispatchInfo.Capture(e); }
                    }, 16 << 20) { IsBackground = true, Name = "PSOpenAIBridge start" };
                    early = started;
                    StartedEarly = true;
                    started.Thread.Start();
                }
            }
            catch (Exception)
            {
                // Anything unexpected here only means no early start: the psm1 starts Python itself and reports.
            }
        }

        static int analysisCacheStarted;

        /// <summary>Loads PowerShell's module analysis cache on a pool thread, once per process.</summary>
        /// <remarks>Import-Module by name (and each command auto-load) records the module's exports in that cache,
        /// whose first use reads its file - and where there is none, waits 3 x 25 ms for another process to finish
        /// writing one. A process that ends within 3 s never writes it, so on every cold machine and in every short
        /// `pwsh -c` the first by-name import sleeps 75 ms after its psm1 has run. Loading it here, beside the psm1
        /// and Python's start, takes that wait off the import (issue 21, item 5). Only when this PowerShell has the
        /// internal type; nothing else changes (the same file is read, the same way, a little earlier).</remarks>
        static void StartAnalysisCache()
        {
            if (Interlocked.Exchange(ref analysisCacheStarted, 1) != 0) return;
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                try
                {
                    Type cache = typeof(PSObject).Assembly.GetType("System.Management.Automation.AnalysisCache", false);
                    if (cache != null) System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(cache.TypeHandle);
                }
                catch (Exception)
                {
                    // (PowerShell loads it itself when it needs it, as it would have without this)
                }
            }, null);
        }

        /// <summary>Whether OnImport started Python for the module in <paramref name="folder"/> and no import has
        /// taken it yet (Take).</summary>
        public static bool Starting(string folder)
        {
            lock (Gate) return Untaken(folder) != null;
        }

        static Early Untaken(string folder) =>      // (under Gate)
            early != null && !early.Taken && string.Equals(early.Folder, folder, StringComparison.Ordinal) ? early : null;

        /// <summary>Whether this process's Python has been started (by either import path).</summary>
        public static bool PythonStarted => FindEngine() is Type engine && IsInitialized(engine);

        /// <summary>What OnImport started for the module in <paramref name="folder"/> - (answer, scope) as Start
        /// returns them - once it is done, its error thrown; null when it started nothing for it, or another import
        /// took it. Each early start is taken once.</summary>
        public static object[] Take(string folder)
        {
            Early started;
            lock (Gate)
            {
                started = Untaken(folder);
                if (started == null) return null;
                started.Taken = true;
            }
            started.Thread.Join();
            started.Error?.Throw();
            return started.Result;
        }

        /// <summary>Starts Python if this process has not (the interpreter, its libpython, Python.Runtime.dll and the
        /// sys.path entries embedding does not reproduce, as the probe or the kept answer gives them; ignored when
        /// Python runs already), then begins the import of the module in <paramref name="folder"/>:
        /// returns (startup.begin's answer text, the Python scope holding its token).</summary>
        public static object[] Start(string folder, string manifests, string executable, string libpython, string dll, string[] path)
        {
            Type engine = FindEngine();
            string[] extra = Array.Empty<string>();
            if (engine == null || !IsInitialized(engine))
            {
                string pydll = Environment.GetEnvironmentVariable("PYTHONNET_PYDLL");
                if (!string.IsNullOrEmpty(pydll)) libpython = pydll;
                if (string.IsNullOrEmpty(libpython))
                    throw new InvalidOperationException($"PSOpenAIBridge: '{executable}' has no shared libpython (a static build?). Use an interpreter built with --enable-shared, or set PYTHONNET_PYDLL.");
                if (engine == null) engine = Assembly.LoadFrom(dll).GetType("Python.Runtime.PythonEngine", true);
                // Once per process whatever the number of runspaces: a second Initialize would end the process.
                lock (engine)
                {
                    if (!IsInitialized(engine))
                    {
                        Assembly runtime = engine.Assembly;
                        runtime.GetType("Python.Runtime.Runtime", true).GetProperty("PythonDLL").SetValue(null, libpython);
                        // (Not on Windows, where Python's file names are UTF-16 already (PEP 529); PYTHONUTF8=0 opts out.)
                        if (!OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("PYTHONUTF8") != "0") EnableUtf8Mode(libpython);
                        // The interpreter's own path as program name: CPython then finds its prefix, venv and site-packages.
                        engine.GetProperty("ProgramName").SetValue(null, executable);
                        Call(engine.GetMethod("Initialize", Type.EmptyTypes), null);
                        // Release the GIL this thread holds after Initialize; each call takes it back for its duration.
                        Call(engine.GetMethod("BeginAllowThreads"), null);
                        RemoveShutdown(engine);
                        extra = path ?? Array.Empty<string>();
                    }
                }
            }
            folder = Path.TrimEndingDirectorySeparator(folder);
            var given = new StringBuilder();
            foreach (string field in new[] { Path.GetDirectoryName(folder), folder, manifests ?? "", CachePath(folder, "functions", "ps1") })
                given.Append(field).Append('\0');
            given.Append(string.Join("\0", extra));
            return Begin(engine.Assembly, given.ToString());
        }

        static object[] Begin(Assembly runtime, string given)
        {
            Type pyObject = runtime.GetType("Python.Runtime.PyObject", true);
            Type pyDict = runtime.GetType("Python.Runtime.PyDict", true);
            using (Gil(runtime))
            {
                object scope = Activator.CreateInstance(pyDict);
                object text = Activator.CreateInstance(runtime.GetType("Python.Runtime.PyString", true), given);
                Call(pyDict.GetMethod("SetItem", new[] { typeof(string), pyObject }), scope, "given", text);
                Exec(runtime, pyObject, BeginCode, scope);
                string answer = Item(pyObject, scope, "answer").ToString();
                return new object[] { answer, scope };
            }
        }

        /// <summary>Waits for the import Start began (<paramref name="scope"/> is the scope it returned) and returns
        /// startup.finish's (the generated text, or '' when it was kept; cmdlet name -> invoke delegate, as a
        /// case-insensitive hashtable; the command aliases one per line). Here rather than in the psm1: PowerShell's
        /// first calls on pythonnet's types cost a cold process ~0.01 s, after Python's imports, when the first
        /// command is waiting.</summary>
        public static object[] Finish(object scope)
        {
            Assembly runtime = FindEngine().Assembly;
            Type pyObject = runtime.GetType("Python.Runtime.PyObject", true);
            using (Gil(runtime))
            {
                Exec(runtime, pyObject, "text, delegates, aliases = startup.finish(token)", scope);
                var delegates = (IDictionary)Call(pyObject.GetMethod("AsManagedObject", new[] { typeof(Type) }),
                    Item(pyObject, scope, "delegates"), typeof(Dictionary<string, object>));
                return new object[] { Item(pyObject, scope, "text").ToString(), new Hashtable(delegates, StringComparer.OrdinalIgnoreCase), Item(pyObject, scope, "aliases").ToString() };
            }
        }

        static IDisposable Gil(Assembly runtime) =>
            (IDisposable)Call(runtime.GetType("Python.Runtime.Py", true).GetMethod("GIL", Type.EmptyTypes), null);

        static void Exec(Assembly runtime, Type pyObject, string code, object scope) =>
            Call(runtime.GetType("Python.Runtime.PythonEngine", true).GetMethod("Exec", new[] { typeof(string), scope.GetType(), pyObject }), null, code, scope, null);

        static object Item(Type pyObject, object scope, string name) =>
            Call(pyObject.GetMethod("GetItem", new[] { typeof(string) }), scope, name);

        /// <summary>The kept probe answer for the module in <paramref name="folder"/>: (interpreter, libpython,
        /// Python.Runtime.dll, then the sys.path entries), or null when there is none or anything it was found from has
        /// changed since (PythonSearch.ps1's Save-PSOpenAIBridgeProbeCache says what it covers). Only a file read and a few
        /// file times. PSOPENAIBRIDGE_NO_PROBE_CACHE=1 turns it off.</summary>
        public static string[] ReadKept(string folder)
        {
            if (Environment.GetEnvironmentVariable("PSOPENAIBRIDGE_NO_PROBE_CACHE") == "1") return null;
            try
            {
                folder = Path.TrimEndingDirectorySeparator(folder);
                string path = CachePath(folder, "probe", "txt");
                if (path.Length == 0 || !File.Exists(path)) return null;
                // format, key, python, Python.Runtime.dll, stamp paths, their times, then probe.py's answer: the
                // executable, its version, libpython, its pythonnet DLL, then sys.path. (Read without the owner and
                // mode checks the kept text and pickle get in startup.py: this folder is as trusted as the user module
                // folder beside it, <data>/powershell/Modules, from which pwsh imports without checks.)
                string[] kept = File.ReadAllText(path).Split('\0');
                if (kept.Length < 10 || kept[0] != ProbeFormat || kept[1] != ProbeKey(folder, kept[1].StartsWith('+'))) return null;
                var times = new StringBuilder();
                foreach (string stamped in kept[4].Split('\t'))
                    times.Append(times.Length == 0 ? "" : "\t").Append(File.GetLastWriteTimeUtc(stamped).Ticks);
                if (times.ToString() != kept[5]) return null;
                var info = new string[3 + kept.Length - 10];
                info[0] = kept[6];
                info[1] = kept[8];
                info[2] = kept[3];
                Array.Copy(kept, 10, info, 3, kept.Length - 10);
                return info;
            }
            catch (Exception)
            {
                return null;    // unreadable: searched and probed again
            }
        }

        /// <summary>What the choice of interpreter and DLL depends on besides the files the kept answer stamps: the
        /// variables that name them, the install record (by its file time: a missing file has a fixed one), and for an
        /// interpreter found on PATH ('+'), PATH and whether a checkout's .venv has appeared since.</summary>
        public static string ProbeKey(string folder, bool fromPath)
        {
            folder = Path.TrimEndingDirectorySeparator(folder);
            long record = File.GetLastWriteTimeUtc(folder + "/PSOpenAIBridge.install.json").Ticks;
            string key = $"{record}\t{Environment.GetEnvironmentVariable("PSOPENAIBRIDGE_PYTHON")}\t{Environment.GetEnvironmentVariable("PSOPENAIBRIDGE_RUNTIME_DLL")}";
            if (!fromPath) return key;
            bool venv = File.Exists(Path.GetDirectoryName(folder) + (OperatingSystem.IsWindows() ? "/.venv/Scripts/python.exe" : "/.venv/bin/python"));
            return $"+{key}\t{venv}\t{Environment.GetEnvironmentVariable("PATH")}";
        }

        /// <summary>Where the module in <paramref name="folder"/> keeps what it learns for the next process (the probe's
        /// answer, the generated functions): &lt;local application data&gt;/PSOpenAIBridge/&lt;kind&gt;-&lt;the module
        /// folder&gt;.&lt;extension&gt;, the folder's path escaped as in a URL (a hash of it when that is too long for
        /// a file name), or '' without a home. (XDG_DATA_HOME on Linux.)</summary>
        public static string CachePath(string folder, string kind, string extension)
        {
            folder = Path.TrimEndingDirectorySeparator(folder);
            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (!Path.IsPathRooted(data)) return "";
            string name = Uri.EscapeDataString(folder);
            if (name.Length > 160) name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(folder))).Substring(0, 16);
            return Path.Combine(data, "PSOpenAIBridge", $"{kind}-{name}.{extension}");
        }

        static Type FindEngine()
        {
            foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
                if (assembly.GetName().Name == "Python.Runtime") return assembly.GetType("Python.Runtime.PythonEngine");
            return null;
        }

        static bool IsInitialized(Type engine) => (bool)engine.GetProperty("IsInitialized").GetValue(null);

        static object Call(MethodInfo method, object target, params object[] arguments)
        {
            try
            {
                return method.Invoke(target, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        static void EnableUtf8Mode(string libpython)
        {
            // Python's UTF-8 mode (PEP 540), so that it names files as .NET does (in UTF-8) whatever the locale:
            // under LANG=C, or no LANG, its file-system encoding would be ASCII, and a path PowerShell hands over as
            // 'résumé.jsonl' could be neither opened nor created. CPython turns the mode on by itself in the C
            // locale, but Py_Initialize (what pythonnet calls) uses the "compat" configuration, which ignores both
            // the C locale and PYTHONUTF8 and reads the Py_UTF8Mode global instead; hence the global, not the
            // environment (pwsh's $env: changes .NET's copy only on Linux and macOS, and no child process sees it
            // this way). Py_UTF8Mode is deprecated since Python 3.12 (PyConfig needs an initialization pythonnet does
            // not do); Locale.Tests.ps1 fails on a Python that ignores it. Loaded from the path pythonnet loads
            // next. A library that does not load is left to pythonnet, which says why; without the symbol the
            // locale's encoding stays.
            try
            {
                Marshal.WriteInt32(NativeLibrary.GetExport(NativeLibrary.Load(libpython), "Py_UTF8Mode"), 1);
            }
            catch (Exception)
            {
            }
        }

        static void RemoveShutdown(Type engine)
        {
            // pythonnet's ProcessExit handler finalises Python (PythonEngine.Shutdown): about a second at each exit,
            // and a crash when the import thread is still running (a process that ends right after the import).
            // Removed here, at once; the import thread adds the module's own (psbridge.startup.add_exit_handler: the
            // atexit functions and the streams' buffers) when its imports are done.
            MethodInfo shutdown = engine.GetMethod("OnProcessExit", BindingFlags.NonPublic | BindingFlags.Static);
            if (shutdown != null) AppDomain.CurrentDomain.ProcessExit -= (EventHandler)Delegate.CreateDelegate(typeof(EventHandler), shutdown);
        }
    }
}
