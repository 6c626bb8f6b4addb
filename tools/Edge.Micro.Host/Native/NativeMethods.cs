using System.Reflection;
using System.Runtime.InteropServices;

namespace Edge.Micro.Host.Native;

/// <summary>
/// Every P/Invoke signature of the native library (interop/include/edge_micro.h), in one place. The library
/// is libedge_micro_native.so built by CMake (scripts/build-native.sh); it is looked for in
/// $EDGE_MICRO_NATIVE_LIB, beside this assembly, and in the repository's build/interop folder.
/// </summary>
public static partial class NativeMethods
{
    /// <summary>The library name used in the imports.</summary>
    public const string Library = "edge_micro_native";

    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);

    /// <summary>em_run_op: runs one op of a validated model on an arena; returns an em_status (0 = ok).</summary>
    [LibraryImport(Library, EntryPoint = "em_run_op")]
    internal static unsafe partial int RunOp(byte* model, uint length, byte* arena, uint arenaBytes, uint op);

    /// <summary>em_micro_frontend_process: one 30 ms frame through the native micro front end; returns an em_status.</summary>
    [LibraryImport(Library, EntryPoint = "em_micro_frontend_process")]
    internal static unsafe partial int MicroFrontendProcess(uint* noiseEstimate, short* samples, sbyte* features, short* logOut);

    /// <summary>em_frontend_process: one frame through the native front end with the caller's tables; returns an em_status.</summary>
    [LibraryImport(Library, EntryPoint = "em_frontend_process")]
    internal static unsafe partial int FrontendProcess(NativeFrontendTables.Native* tables, uint* noiseEstimate, short* samples, sbyte* features, short* logOut);

    /// <summary>em_model (interop/include/edge_micro.h): a validated model view over caller-owned bytes and arena.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    internal unsafe struct EmModel
    {
        public byte* Bytes;
        public uint Length;
        public byte* Arena;
        public uint ArenaBytes;
        public uint FailedOp;
    }

    /// <summary>em_model_load: the native loader's validation; returns an em_model_error (the ModelError codes).</summary>
    [LibraryImport(Library, EntryPoint = "em_model_load")]
    internal static unsafe partial int ModelLoad(EmModel* model, byte* bytes, uint length, byte* arena, uint arenaBytes);

    /// <summary>
    /// The native loader's verdict on a model: 0 or the em_model_error code, the same numbers as
    /// <c>Edge.Micro.Runtime.ModelError</c>. The arena is sized from the header (at most 4 MiB).
    /// </summary>
    public static unsafe int ValidateModel(byte[] model)
    {
        uint arenaBytes = model.Length >= 20 ? BitConverter.ToUInt32(model, 16) : 0;
        var arena = new byte[Math.Min(arenaBytes, 4u << 20) + 1];
        EmModel m;
        fixed (byte* b = model)
        fixed (byte* a = arena)
        {
            return ModelLoad(&m, b, (uint)model.Length, a, (uint)arena.Length);
        }
    }

    /// <summary>True when the native library can be loaded.</summary>
    public static bool IsAvailable => Handle != IntPtr.Zero;

    private static readonly IntPtr Handle = TryLoad();

    private static IntPtr TryLoad()
    {
        foreach (string candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    private static IEnumerable<string> Candidates()
    {
        string file = OperatingSystem.IsWindows() ? "edge_micro_native.dll" : OperatingSystem.IsMacOS() ? "libedge_micro_native.dylib" : "libedge_micro_native.so";
        if (Environment.GetEnvironmentVariable("EDGE_MICRO_NATIVE_LIB") is { Length: > 0 } explicitPath)
        {
            yield return explicitPath;
        }

        yield return Path.Combine(AppContext.BaseDirectory, file);
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "nf.proj")))
            {
                yield return Path.Combine(dir, "build", "interop", file);
                break;
            }
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? Handle : IntPtr.Zero;
}
