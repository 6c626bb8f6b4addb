using System;

namespace Edge.Micro.Runtime.Storage
{
    /// <summary>A model held in a byte array that stands for flash (tests, the desktop): reads copy out of it.</summary>
    public sealed class ByteArrayModelReader : IModelReader
    {
        private readonly byte[] _bytes;

        /// <summary>Reads from <paramref name="bytes"/>, which the caller must not change while a model uses it.</summary>
        public ByteArrayModelReader(byte[] bytes)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException("bytes");
            }

            _bytes = bytes;
        }

        /// <inheritdoc />
        public int Length { get { return _bytes.Length; } }

        /// <inheritdoc />
        public void Read(int offset, byte[] destination, int destinationOffset, int count)
        {
            Array.Copy(_bytes, offset, destination, destinationOffset, count);
        }
    }
}
