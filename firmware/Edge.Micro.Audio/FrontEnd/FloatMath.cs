namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// Square root and natural logarithm in plain double arithmetic (nanoFramework's mscorlib has no System.Math).
    /// Accurate to about one unit in the last place, which keeps the MFCC features within float rounding of a
    /// desktop computation.
    /// </summary>
    public static class FloatMath
    {
        private const double Ln2 = 0.693147180559945309417232121458;

        /// <summary>Square root (0 for non-positive input).</summary>
        public static double Sqrt(double x)
        {
            if (!(x > 0))
            {
                return 0;
            }

            // Initial guess from the exponent, then Newton's iterations (quadratic convergence).
            long bits = System.BitConverter.DoubleToInt64Bits(x);
            double y = System.BitConverter.Int64BitsToDouble(((bits - (1023L << 52)) >> 1) + (1023L << 52));
            for (int i = 0; i < 6; i++)
            {
                y = 0.5 * (y + x / y);
            }

            return y;
        }

        /// <summary>Natural logarithm of a positive, finite x.</summary>
        public static double Log(double x)
        {
            long bits = System.BitConverter.DoubleToInt64Bits(x);
            int exponent = (int)((bits >> 52) & 0x7FF);
            if (exponent == 0)
            {
                // Subnormal: scale into the normal range first.
                return Log(x * 18014398509481984.0) - 54 * Ln2;
            }

            exponent -= 1023;
            double m = System.BitConverter.Int64BitsToDouble((bits & 0xFFFFFFFFFFFFFL) | (1023L << 52)); // [1, 2)
            if (m > 1.4142135623730951)
            {
                m *= 0.5;
                exponent++;
            }

            // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: the series converges fast.
            double s = (m - 1) / (m + 1);
            double s2 = s * s;
            double term = s;
            double sum = 0;
            for (int k = 1; k < 40; k += 2)
            {
                sum += term / k;
                term *= s2;
            }

            return 2 * sum + exponent * Ln2;
        }
    }
}
