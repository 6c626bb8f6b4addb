namespace Edge.Micro.Runtime.Format
{
    /// <summary>Explicit little-endian reads and writes on byte arrays (no allocation, any host byte order).</summary>
    public static class LittleEndian
    {
        public static int ReadInt32(byte[] b, int offset)
        {
            return b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24);
        }

        public static uint ReadUInt32(byte[] b, int offset)
        {
            return (uint)ReadInt32(b, offset);
        }

        public static int ReadUInt16(byte[] b, int offset)
        {
            return b[offset] | (b[offset + 1] << 8);
        }

        public static short ReadInt16(byte[] b, int offset)
        {
            return (short)(b[offset] | (b[offset + 1] << 8));
        }

        public static void WriteInt32(byte[] b, int offset, int value)
        {
            b[offset] = (byte)value;
            b[offset + 1] = (byte)(value >> 8);
            b[offset + 2] = (byte)(value >> 16);
            b[offset + 3] = (byte)(value >> 24);
        }

        public static void WriteInt16(byte[] b, int offset, int value)
        {
            b[offset] = (byte)value;
            b[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Reads an IEEE-754 single (nanoFramework's BitConverter.ToSingle does not allocate).</summary>
        public static float ReadSingle(byte[] b, int offset)
        {
            return FloatBits.FromBits(ReadInt32(b, offset));
        }

        /// <summary>Writes an IEEE-754 single without allocating.</summary>
        public static void WriteSingle(byte[] b, int offset, float value)
        {
            WriteInt32(b, offset, FloatBits.ToBits(value));
        }
    }
}
