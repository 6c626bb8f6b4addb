using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// LOGISTIC and TANH, int8: TFLM's reference_integer_ops::Logistic / Tanh. The input (minus its zero
    /// point) is rescaled to Q4.27 and fed to gemmlowp's fixed-point logistic / tanh; inputs beyond the
    /// range radius saturate. Outputs: logistic scale 1/256 zero point -128, tanh scale 1/128 zero point 0.
    /// </summary>
    public static class ActivationS8
    {
        public const int InputZeroPoint = 0;
        public const int InputMultiplier = 1;
        public const int InputLeftShift = 2;
        public const int InputRangeRadius = 3;
        public const int ParamCount = 4;

        private const int InputIntegerBits = 4;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (!KernelContracts.IsElementwise(m, op, ParamCount, ElementType.Int8))
            {
                return ModelError.BadOpTensors;
            }

            if (!KernelContracts.InRange(m.Param(op, InputZeroPoint), -128, 127) || !KernelContracts.InRange(m.Param(op, InputLeftShift), -31, 30)
                || m.Param(op, InputRangeRadius) < 0)
            {
                return ModelError.BadOpParams;
            }

            return ModelError.None;
        }

        /// <summary>Runs LOGISTIC (logistic = true) or TANH.</summary>
        public static void Eval(Model m, int op, byte[] arena, bool logistic)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            byte[] inBuf = m.Buffer(input, arena);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int count = m.ElementCount(input);
            int zeroPoint = m.Param(op, InputZeroPoint);
            int multiplier = m.Param(op, InputMultiplier);
            int leftShift = m.Param(op, InputLeftShift);
            int radius = m.Param(op, InputRangeRadius);

            for (int i = 0; i < count; i++)
            {
                int x = (sbyte)inBuf[inBase + i] - zeroPoint;
                int result;
                if (x <= -radius)
                {
                    result = -128;
                }
                else if (x >= radius)
                {
                    result = 127;
                }
                else
                {
                    int q4 = FixedPoint.MultiplyByQuantizedMultiplier(x, multiplier, leftShift);
                    if (logistic)
                    {
                        result = FixedPoint.RoundingDivideByPOT(Logistic(q4), 31 - 8) - 128;
                    }
                    else
                    {
                        result = FixedPoint.RoundingDivideByPOT(Tanh(q4), 31 - 7);
                    }

                    result = result < -128 ? -128 : (result > 127 ? 127 : result);
                }

                arena[outBase + i] = (byte)result;
            }
        }

        /// <summary>gemmlowp::logistic for a Q4.27 input; Q0.31 result.</summary>
        public static int Logistic(int a)
        {
            if (a == 0)
            {
                return 1 << 30;
            }

            int abs = a > 0 ? a : -a;
            int positive = FixedPoint.OneOverOnePlusXForXIn01(FixedPoint.ExpOnNegativeValues(-abs, InputIntegerBits));
            return a > 0 ? positive : FixedPoint.OneQ0 - positive;
        }

        /// <summary>gemmlowp::tanh for a Q4.27 input; Q0.31 result.</summary>
        public static int Tanh(int a)
        {
            if (a == 0)
            {
                return 0;
            }

            int negative = a < 0 ? a : -a;

            // exp(2n) reinterprets the raw value with one more integer bit (ExactMulByPot<1>).
            int t = FixedPoint.OneMinusXOverOnePlusXForXIn01(FixedPoint.ExpOnNegativeValues(negative, InputIntegerBits + 1));
            return a < 0 ? -t : t;
        }
    }
}
