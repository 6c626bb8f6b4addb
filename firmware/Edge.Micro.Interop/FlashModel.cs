using System;
using System.Runtime.CompilerServices;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Interop
{
    /// <summary>
    /// The model compiled into a custom firmware image (the <c>name.c</c> that <c>edge-micro convert</c> writes,
    /// docs/firmware.md): read in place from flash. A <see cref="Edge.Micro.Runtime.Model"/> built on it keeps only
    /// its tables in RAM; <see cref="NativeKernels"/> run it where it lies, the managed kernels read each op's
    /// constants into one window.
    /// </summary>
    public sealed class FlashModel : IModelReader
    {
        private readonly int _length;

        private FlashModel(int length)
        {
            _length = length;
        }

        /// <summary>
        /// The image's model; throws <see cref="InvalidOperationException"/> when the image was built without one.
        /// </summary>
        public static FlashModel Open()
        {
            int length = NativeLength();
            if (length <= 0)
            {
                throw new InvalidOperationException("this firmware image carries no model: compile the name.c that edge-micro convert writes into it (docs/firmware.md)");
            }

            return new FlashModel(length);
        }

        /// <inheritdoc />
        public int Length { get { return _length; } }

        /// <inheritdoc />
        public void Read(int offset, byte[] destination, int destinationOffset, int count)
        {
            if (NativeRead(offset, destination, destinationOffset, count) != 0)
            {
                throw new ArgumentOutOfRangeException("offset", "outside the model or the destination");
            }
        }

        // interop/nanoframework/Edge_Micro_Interop_Edge_Micro_Interop_FlashModel.cpp -> edge_micro_image_model.
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeLength();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeRead(int offset, byte[] destination, int destinationOffset, int count);
    }
}
