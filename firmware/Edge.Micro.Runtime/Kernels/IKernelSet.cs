namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// Runs one op of a validated model on an arena. <see cref="ManagedKernels"/> is the bit-exact reference
    /// and the fallback for a stock nanoFramework image; the native C kernels (interop/) implement the same
    /// contract through P/Invoke on the desktop and nanoFramework interop on a custom firmware image.
    /// </summary>
    public interface IKernelSet
    {
        /// <summary>"managed" or "native": shown by the CLI and the diagnostics console.</summary>
        string Name { get; }

        /// <summary>
        /// Called once by each <see cref="Interpreter"/> built on <paramref name="model"/>, before any op runs:
        /// reserves what the kernels need to read the model (the managed kernels: the constant window of a model
        /// loaded through a reader) or throws <see cref="System.ArgumentException"/> if they cannot run it.
        /// </summary>
        void Prepare(Model model);

        /// <summary>Runs op <paramref name="op"/>; returns 0 on success, else a kernel status (interop/include/edge_micro.h em_status).</summary>
        int Run(Model model, int op, byte[] arena);
    }
}
