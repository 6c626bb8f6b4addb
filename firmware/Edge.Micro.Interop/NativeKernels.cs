using System;
using System.Runtime.CompilerServices;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Interop
{
    /// <summary>
    /// The native C kernels on a custom nanoFramework image (docs/firmware.md). This assembly is deployed only
    /// with that image: nanoFramework refuses to load an assembly whose native-methods checksum does not match
    /// the firmware, so a stock image runs <see cref="ManagedKernels"/> instead. One native call per op; the
    /// native side (interop/nanoframework) keeps no pointer into the managed arrays after it returns. A model
    /// loaded through <see cref="FlashModel"/> runs in place in flash; a model loaded from a byte array is passed
    /// with each call.
    /// </summary>
    public sealed class NativeKernels : IKernelSet
    {
        /// <summary>The shared instance.</summary>
        public static readonly NativeKernels Instance = new NativeKernels();

        /// <inheritdoc />
        public string Name { get { return "native"; } }

        /// <inheritdoc />
        public void Prepare(Model model)
        {
            if (model.Reader != null && !(model.Reader is FlashModel) && !(model.Reader is FlashSlotReader))
            {
                throw new ArgumentException("the native kernels run a model loaded from a byte array or from the image's flash (FlashModel, FlashModelStore)", "model");
            }
        }

        /// <inheritdoc />
        public int Run(Model model, int op, byte[] arena)
        {
            if (model.Reader == null)
            {
                return RunOp(model.Bytes, arena, op);
            }

            FlashSlotReader slot = model.Reader as FlashSlotReader;
            return slot != null ? RunSlotOp(slot.Slot, slot.Length, arena, op) : RunFlashOp(arena, op);
        }

        // interop/nanoframework/edge_micro_interop_Edge_Micro_Interop_NativeKernels.cpp -> em_run_op().
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int RunOp(byte[] model, byte[] arena, int op);

        // The same on the image's model (FlashModel), in place.
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int RunFlashOp(byte[] arena, int op);

        // The same on a model of the image's store (FlashModelStore), in place in its memory-mapped slot.
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int RunSlotOp(int slot, int length, byte[] arena, int op);
    }
}
