using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Runtime.Format
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), bitwise: no table in RAM.</summary>
    public static class Crc32
    {
        private const uint Polynomial = 0xEDB88320;

        /// <summary>CRC-32 of bytes [offset, offset + count).</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return ~Update(Initial, data, offset, count);
        }

        /// <summary>
        /// CRC-32 of bytes [offset, reader.Length) of a model read through <paramref name="reader"/>, in pieces the size
        /// of <paramref name="buffer"/> (no model copy in RAM).
        /// </summary>
        public static uint Compute(IModelReader reader, int offset, byte[] buffer)
        {
            uint crc = Initial;
            int length = reader.Length;
            for (int at = offset; at < length; at += buffer.Length)
            {
                int count = length - at < buffer.Length ? length - at : buffer.Length;
                reader.Read(at, buffer, 0, count);
                crc = Update(crc, buffer, 0, count);
            }

            return ~crc;
        }

        /// <summary>The running value before the first byte (for <see cref="Update"/>).</summary>
        public const uint Initial = 0xFFFFFFFF;

        /// <summary>
        /// Feeds bytes [offset, offset + count) into a running value that started at <see cref="Initial"/>; the CRC of
        /// everything fed is the complement (~) of the last result. For data read in pieces.
        /// </summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
                }
            }

            return crc;
        }
    }
}
