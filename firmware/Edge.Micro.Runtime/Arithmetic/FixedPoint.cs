namespace Edge.Micro.Runtime.Arithmetic
{
    /// <summary>
    /// Integer fixed-point primitives with exactly the rounding of gemmlowp and TensorFlow Lite Micro's
    /// reference kernels (tensorflow/lite/kernels/internal/common.h). Every int8 kernel requantizes through
    /// these, so bit-exactness with TFLM depends on them and nothing else. All arithmetic wraps like int32 C code.
    /// </summary>
    public static class FixedPoint
    {
        /// <summary>Q0.31 raw value of 1.0 (saturated): gemmlowp's FixedPoint&lt;int32,0&gt;::One().</summary>
        public const int OneQ0 = int.MaxValue;

        /// <summary>Rounded high half of 2*a*b (ARM VQRDMULH); saturates the single overflow case MIN*MIN.</summary>
        public static int SaturatingRoundingDoublingHighMul(int a, int b)
        {
            if (a == b && a == int.MinValue)
            {
                return int.MaxValue;
            }

            long ab = (long)a * b;
            long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
            return (int)((ab + nudge) / (1L << 31));
        }

        /// <summary>Division by 2^exponent rounding half away from zero (exponent 0..31).</summary>
        public static int RoundingDivideByPOT(int x, int exponent)
        {
            int mask = (int)((1L << exponent) - 1);
            int remainder = x & mask;
            int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
            return (x >> exponent) + (remainder > threshold ? 1 : 0);
        }

        /// <summary>Multiplies by 2^exponent: saturating for exponent &gt; 0, rounding for exponent &lt; 0.</summary>
        public static int SaturatingRoundingMultiplyByPOT(int x, int exponent)
        {
            if (exponent == 0)
            {
                return x;
            }

            if (exponent < 0)
            {
                return RoundingDivideByPOT(x, -exponent);
            }

            int threshold = (int)((1L << (31 - exponent)) - 1);
            if (x > threshold)
            {
                return int.MaxValue;
            }

            if (x < -threshold)
            {
                return int.MinValue;
            }

            return x << exponent;
        }

        /// <summary>
        /// TFLM's MultiplyByQuantizedMultiplier (double rounding): x * multiplier * 2^shift, where the
        /// multiplier is a Q0.31 value in [0.5, 1) and shift is the exponent computed ahead of time.
        /// </summary>
        public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
        {
            int leftShift = shift > 0 ? shift : 0;
            int rightShift = shift > 0 ? 0 : -shift;
            return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
        }

        /// <summary>
        /// TFLM's MultiplyByQuantizedMultiplier for an int64 accumulator (the 16x8 kernels with an int64 bias):
        /// single rounding with the multiplier reduced to 16 bits; shift is in [-31, 7].
        /// </summary>
        public static int MultiplyByQuantizedMultiplierWide(long x, int multiplier, int shift)
        {
            long reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
            int totalShift = 15 - shift;
            return (int)((x * reduced + (1L << (totalShift - 1))) >> totalShift);
        }

        /// <summary>TFLM's MultiplyByQuantizedMultiplierGreaterThanOne (softmax input scaling).</summary>
        public static int MultiplyByQuantizedMultiplierGreaterThanOne(int x, int multiplier, int leftShift)
        {
            return SaturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier);
        }

        /// <summary>TFLM's MultiplyByQuantizedMultiplierSmallerThanOneExp (ADD); leftShift is &lt;= 0.</summary>
        public static int MultiplyByQuantizedMultiplierSmallerThanOneExp(int x, int multiplier, int leftShift)
        {
            return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
        }

        /// <summary>gemmlowp RoundingHalfSum: (a + b) / 2 rounded away from zero.</summary>
        public static int RoundingHalfSum(int a, int b)
        {
            long sum = (long)a + b;
            long sign = sum >= 0 ? 1 : -1;
            return (int)((sum + sign) / 2);
        }

        /// <summary>exp(a) for a in [-1/4, 0), both Q0.31 (gemmlowp's Taylor expansion around -1/8).</summary>
        public static int ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a)
        {
            const int ConstantTerm = 1895147668;   // exp(-1/8) in Q0.31
            const int OneThird = 715827883;        // 1/3 in Q0.31
            int x = a + (1 << 28);                 // a + 1/8
            int x2 = SaturatingRoundingDoublingHighMul(x, x);
            int x3 = SaturatingRoundingDoublingHighMul(x2, x);
            int x4 = SaturatingRoundingDoublingHighMul(x2, x2);
            int x4Over4 = RoundingDivideByPOT(x4, 2);
            int poly = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x4Over4 + x3, OneThird) + x2, 1);
            return ConstantTerm + SaturatingRoundingDoublingHighMul(ConstantTerm, x + poly);
        }

        /// <summary>
        /// exp(a) for a &lt;= 0, a in Q(integerBits).(31-integerBits), result in Q0.31: gemmlowp's
        /// exp_on_negative_values with its barrel shifter of exp(-2^k) constants.
        /// </summary>
        public static int ExpOnNegativeValues(int a, int integerBits)
        {
            int fractionalBits = 31 - integerBits;
            int oneQuarter = 1 << (fractionalBits - 2);
            int mask = oneQuarter - 1;
            int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
            int result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
                SaturatingRoundingMultiplyByPOT(aModQuarterMinusOneQuarter, integerBits));
            int remainder = aModQuarterMinusOneQuarter - a;

            result = BarrelShift(result, remainder, integerBits, fractionalBits, -2, 1672461947);
            result = BarrelShift(result, remainder, integerBits, fractionalBits, -1, 1302514674);
            result = BarrelShift(result, remainder, integerBits, fractionalBits, 0, 790015084);
            result = BarrelShift(result, remainder, integerBits, fractionalBits, 1, 290630308);
            result = BarrelShift(result, remainder, integerBits, fractionalBits, 2, 39332535);
            result = BarrelShift(result, remainder, integerBits, fractionalBits, 3, 720401);
            result = BarrelShift(result, remainder, integerBits, fractionalBits, 4, 242);

            if (integerBits > 5)
            {
                int clamp = -(1 << (36 - integerBits));   // -32.0 in the input format
                if (a < clamp)
                {
                    result = 0;
                }
            }

            return a == 0 ? OneQ0 : result;
        }

        private static int BarrelShift(int result, int remainder, int integerBits, int fractionalBits, int exponent, int multiplier)
        {
            if (integerBits > exponent && (remainder & (1 << (fractionalBits + exponent))) != 0)
            {
                return SaturatingRoundingDoublingHighMul(result, multiplier);
            }

            return result;
        }

        /// <summary>1 / (1 + x) for x in [0, 1), Q0.31 in and out.</summary>
        public static int OneOverOnePlusXForXIn01(int a)
        {
            // Rescale<0>(ExactMulByPot<-1>(x)): Q1.30 -> Q0.31 is a saturating left shift by one.
            return SaturatingRoundingMultiplyByPOT(ReciprocalOfHalfDenominator(a), 1);
        }

        /// <summary>(1 - x) / (1 + x) for x in [0, 1), Q0.31 in and out (gemmlowp's tanh helper).</summary>
        public static int OneMinusXOverOnePlusXForXIn01(int a)
        {
            return SaturatingRoundingMultiplyByPOT(ReciprocalOfHalfDenominator(a) - OneQ2, 2);
        }

        private const int OneQ2 = 1 << 29;

        // 1 / ((1 + a) / 2) in Q2.29 by Newton-Raphson from gemmlowp's 48/17 - 32/17 d start, three iterations.
        private static int ReciprocalOfHalfDenominator(int a)
        {
            const int FortyEightOver17 = 1515870810;     // 48/17 in Q2.29
            const int MinusThirtyTwoOver17 = -1010580540; // -32/17 in Q2.29
            int halfDenominator = RoundingHalfSum(a, OneQ0);
            int x = FortyEightOver17 + SaturatingRoundingDoublingHighMul(halfDenominator, MinusThirtyTwoOver17);
            for (int i = 0; i < 3; i++)
            {
                int oneMinus = OneQ2 - SaturatingRoundingDoublingHighMul(halfDenominator, x);
                x = x + SaturatingRoundingMultiplyByPOT(SaturatingRoundingDoublingHighMul(x, oneMinus), 2);
            }

            return x;
        }

        /// <summary>Number of leading zero bits of a 32-bit value (32 for zero).</summary>
        public static int CountLeadingZeros(uint x)
        {
            if (x == 0)
            {
                return 32;
            }

            int n = 0;
            while ((x & 0x80000000u) == 0)
            {
                x <<= 1;
                n++;
            }

            return n;
        }

        /// <summary>TFLM's GetReciprocal: 1/x for a positive x with xIntegerDigits integer bits, as Q0.31 times 2^-numBitsOverUnit.</summary>
        public static int GetReciprocal(int x, int xIntegerDigits, out int numBitsOverUnit)
        {
            int headroomPlusOne = CountLeadingZeros((uint)x);
            numBitsOverUnit = xIntegerDigits - headroomPlusOne;
            int shiftedSumMinusOne = (int)(((uint)x << headroomPlusOne) - (1u << 31));
            return OneOverOnePlusXForXIn01(shiftedSumMinusOne);
        }
    }
}
