using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Host.Native;

/// <summary>
/// The native C kernels through P/Invoke: one call per op into em_run_op with the model and arena pinned
/// for that call only (the same contract as the nanoFramework interop stub). A model loaded through a
/// <see cref="NativeModelMemory"/> runs in place there, as a board runs the flash array.
/// </summary>
public sealed class NativeKernels : IKernelSet
{
    /// <summary>The shared instance.</summary>
    public static readonly NativeKernels Instance = new();

    /// <inheritdoc />
    public string Name => "native";

    /// <inheritdoc />
    public void Prepare(Model model)
    {
        if (model.Reader is not null and not NativeModelMemory)
        {
            throw new ArgumentException(
                $"the native kernels run a model loaded from a byte array or resident in native memory (NativeModelMemory), not one read through {model.Reader.GetType().Name}",
                nameof(model));
        }
    }

    /// <inheritdoc />
    public unsafe int Run(Model model, int op, byte[] arena)
    {
        if (model.Reader is NativeModelMemory resident)
        {
            fixed (byte* a = arena)
            {
                return NativeMethods.RunOp(resident.Pointer, (uint)resident.Length, a, (uint)arena.Length, (uint)op);
            }
        }

        byte[] bytes = model.Bytes;
        fixed (byte* m = bytes)
        fixed (byte* a = arena)
        {
            return NativeMethods.RunOp(m, (uint)bytes.Length, a, (uint)arena.Length, (uint)op);
        }
    }
}

/// <summary>Chooses the kernels from a --kernels value: native by default when the library is present.</summary>
public static class KernelChoice
{
    /// <summary>The accepted values.</summary>
    public static readonly string[] Names = ["managed", "native"];

    /// <summary>The kernel set named (null: the default); throws when native is asked for but missing.</summary>
    public static IKernelSet Resolve(string? name) => name switch
    {
        null or "" => NativeMethods.IsAvailable ? NativeKernels.Instance : ManagedKernels.Instance,
        "managed" => ManagedKernels.Instance,
        "native" => NativeMethods.IsAvailable
            ? NativeKernels.Instance
            : throw new FileNotFoundException("native kernels requested but libedge_micro_native was not found: run scripts/build-native.sh or set EDGE_MICRO_NATIVE_LIB"),
        _ => throw new ArgumentException($"unknown kernels '{name}': use managed or native"),
    };
}
