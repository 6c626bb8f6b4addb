namespace Edge.Micro.Runtime.Format
{
    /// <summary>
    /// IEEE-754 single bit patterns, from the only allocation-free conversions nanoFramework's mscorlib has
    /// (BitConverter.DoubleToInt64Bits / Int64BitsToDouble). A float widens to double exactly, so the float
    /// bits are recovered exactly, denormals, infinities and NaN included.
    /// </summary>
    public static class FloatBits
    {
        private const int DoubleExponentBias = 1023;
        private const int SingleExponentBias = 127;
        private const int MantissaDrop = 52 - 23;

        /// <summary>Bit pattern of a float.</summary>
        public static int ToBits(float value)
        {
            long d = System.BitConverter.DoubleToInt64Bits(value);
            int sign = (int)((d >> 32) & unchecked((int)0x80000000));
            int exponent = (int)((d >> 52) & 0x7FF);
            long mantissa = d & 0xFFFFFFFFFFFFFL;
            if (exponent == 0x7FF)
            {
                return sign | 0x7F800000 | (int)(mantissa >> MantissaDrop) | (mantissa != 0 ? 0x400000 : 0);
            }

            if (exponent == 0)
            {
                return sign; // only zero widens to a double with a zero exponent
            }

            int singleExponent = exponent - DoubleExponentBias + SingleExponentBias;
            if (singleExponent > 0)
            {
                return sign | (singleExponent << 23) | (int)(mantissa >> MantissaDrop);
            }

            // A float denormal: restore the implicit one and shift it into the denormal range.
            long full = mantissa | (1L << 52);
            return sign | (int)(full >> (MantissaDrop + 1 - singleExponent));
        }

        /// <summary>The float with the given bit pattern.</summary>
        public static float FromBits(int bits)
        {
            long sign = (long)(bits & unchecked((int)0x80000000)) << 32;
            int exponent = (bits >> 23) & 0xFF;
            long mantissa = bits & 0x7FFFFF;
            long d;
            if (exponent == 0xFF)
            {
                d = sign | (0x7FFL << 52) | (mantissa << MantissaDrop);
            }
            else if (exponent == 0)
            {
                if (mantissa == 0)
                {
                    d = sign;
                }
                else
                {
                    // Normalize the denormal.
                    int e = 1 - SingleExponentBias;
                    while ((mantissa & 0x800000) == 0)
                    {
                        mantissa <<= 1;
                        e--;
                    }

                    d = sign | ((long)(e + DoubleExponentBias) << 52) | ((mantissa & 0x7FFFFF) << MantissaDrop);
                }
            }
            else
            {
                d = sign | ((long)(exponent - SingleExponentBias + DoubleExponentBias) << 52) | (mantissa << MantissaDrop);
            }

            return (float)System.BitConverter.Int64BitsToDouble(d);
        }
    }
}
