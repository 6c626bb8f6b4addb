namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>Integer square roots and bit counts of TFLM's signal library (square_root_32/64.cc, msb_32/64.cc).</summary>
    public static class SquareRoots
    {
        /// <summary>Number of significant bits (0 for 0): TFLM's MostSignificantBit32.</summary>
        public static int MostSignificantBit(uint x)
        {
            int n = 0;
            while (x != 0)
            {
                n++;
                x >>= 1;
            }

            return n;
        }

        /// <summary>Number of significant bits of a 64-bit value.</summary>
        public static int MostSignificantBit(ulong x)
        {
            uint high = (uint)(x >> 32);
            return high != 0 ? 32 + MostSignificantBit(high) : MostSignificantBit((uint)x);
        }

        /// <summary>Rounded square root of a 32-bit value (16-bit result).</summary>
        public static uint Sqrt32(uint num)
        {
            if (num == 0)
            {
                return 0;
            }

            uint res = 0;
            int maxBit = (32 - MostSignificantBit(num)) | 1;
            uint bit = 1u << (31 - maxBit);
            int iterations = (31 - maxBit) / 2 + 1;
            while (iterations-- > 0)
            {
                if (num >= res + bit)
                {
                    num -= res + bit;
                    res = (res >> 1) + bit;
                }
                else
                {
                    res >>= 1;
                }

                bit >>= 2;
            }

            if (num > res && res != 0xFFFF)
            {
                res++;
            }

            return res & 0xFFFF;
        }

        /// <summary>Rounded square root of a 64-bit value; 32-bit inputs take the 32-bit path, as TFLM does.</summary>
        public static uint Sqrt64(ulong num)
        {
            if ((num >> 32) == 0)
            {
                return Sqrt32((uint)num);
            }

            ulong res = 0;
            int maxBit = (64 - MostSignificantBit(num)) | 1;
            ulong bit = 1UL << (63 - maxBit);
            int iterations = (63 - maxBit) / 2 + 1;
            while (iterations-- > 0)
            {
                if (num >= res + bit)
                {
                    num -= res + bit;
                    res = (res >> 1) + bit;
                }
                else
                {
                    res >>= 1;
                }

                bit >>= 2;
            }

            if (num > res && res != 0xFFFFFFFFUL)
            {
                res++;
            }

            return (uint)res;
        }
    }
}
