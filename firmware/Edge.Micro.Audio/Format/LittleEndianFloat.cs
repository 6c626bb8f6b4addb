namespace Edge.Micro.Audio.Format
{
    /// <summary>Writes float32 tensor elements (little-endian) without allocating.</summary>
    public static class LittleEndianFloat
    {
        /// <summary>Writes <paramref name="value"/> at b[offset..offset + 4).</summary>
        public static void Write(byte[] b, int offset, float value)
        {
            Edge.Micro.Runtime.Format.LittleEndian.WriteSingle(b, offset, value);
        }
    }
}
