using Edge.Micro.Host.Native;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>Kernel sets for tests: the native library must be present in CI (scripts/test.sh builds it).</summary>
public static class NativeLibrary
{
    /// <summary>The kernel set named; skips locally and fails in CI when the native library is missing.</summary>
    public static IKernelSet Require(string name)
    {
        if (name == "native" && !NativeMethods.IsAvailable)
        {
            const string Message = "libedge_micro_native not found: run scripts/build-native.sh";
            if (Corpus.InCi)
            {
                throw new InvalidOperationException(Message + " (CI=true: missing native kernels are a failure)");
            }

            Skip.If(true, Message);
        }

        return KernelChoice.Resolve(name);
    }
}
