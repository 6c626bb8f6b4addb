using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// SOFTMAX over the last dimension, int8 in, int8 out with scale 1/256 and zero point -128: TFLM's
    /// reference_ops::Softmax with gemmlowp's fixed-point exp (input differences in Q5.26, sums in Q12.19).
    /// </summary>
    public static class SoftmaxS8
    {
        public const int InputMultiplier = 0;
        public const int InputLeftShift = 1;
        public const int DiffMin = 2;
        public const int ParamCount = 3;

        private const int ScaledDiffIntegerBits = 5;
        private const int AccumulationIntegerBits = 12;
        private const int OutputMin = -128;

        /// <summary>Largest row length: keeps the sum of exps and the final shift inside 32 bits.</summary>
        public const int MaxDepth = 256;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (!TensorsFit(m, op, ParamCount, Format.ElementType.Int8, MaxDepth))
            {
                return ModelError.BadOpTensors;
            }

            if (m.Param(op, InputMultiplier) <= 0 || !KernelContracts.InRange(m.Param(op, InputLeftShift), 0, 31) || m.Param(op, DiffMin) > 0)
            {
                return ModelError.BadOpParams;
            }

            return ModelError.None;
        }

        /// <summary>
        /// The tensor contract shared with <see cref="SoftmaxS16"/>: one input of <paramref name="type"/> in the
        /// arena, one output of the same type and shape, rows of at most <paramref name="maxDepth"/>, and
        /// <paramref name="paramCount"/> parameters.
        /// </summary>
        internal static bool TensorsFit(Model m, int op, int paramCount, int type, int maxDepth)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != paramCount)
            {
                return false;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            return m.TensorType(input) == type && m.TensorType(output) == type && !m.IsConstant(input)
                && m.ElementCount(input) == m.ElementCount(output) && m.LastDim(input) == m.LastDim(output) && m.LastDim(input) <= maxDepth;
        }

        /// <summary>Runs the op.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int depth = m.LastDim(input);
            int rows = m.ElementCount(input) / depth;
            int multiplier = m.Param(op, InputMultiplier);
            int leftShift = m.Param(op, InputLeftShift);
            int diffMin = m.Param(op, DiffMin);

            for (int r = 0; r < rows; r++)
            {
                int rowIn = inBase + r * depth;
                int rowOut = outBase + r * depth;
                int max = -128;
                for (int c = 0; c < depth; c++)
                {
                    int v = (sbyte)arena[rowIn + c];
                    if (v > max)
                    {
                        max = v;
                    }
                }

                int sumOfExps = 0; // Q12.19
                for (int c = 0; c < depth; c++)
                {
                    int diff = (sbyte)arena[rowIn + c] - max;
                    if (diff >= diffMin)
                    {
                        int scaled = FixedPoint.MultiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                        int exp = FixedPoint.ExpOnNegativeValues(scaled, ScaledDiffIntegerBits);
                        sumOfExps += FixedPoint.SaturatingRoundingMultiplyByPOT(exp, -AccumulationIntegerBits);
                    }
                }

                int numBitsOverUnit;
                int shiftedScale = FixedPoint.GetReciprocal(sumOfExps, AccumulationIntegerBits, out numBitsOverUnit);
                for (int c = 0; c < depth; c++)
                {
                    int diff = (sbyte)arena[rowIn + c] - max;
                    int result = OutputMin;
                    if (diff >= diffMin)
                    {
                        int scaled = FixedPoint.MultiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                        int exp = FixedPoint.ExpOnNegativeValues(scaled, ScaledDiffIntegerBits);
                        int unsat = FixedPoint.RoundingDivideByPOT(FixedPoint.SaturatingRoundingDoublingHighMul(shiftedScale, exp), numBitsOverUnit + 31 - 8);
                        result = unsat + OutputMin;
                        result = result < -128 ? -128 : (result > 127 ? 127 : result);
                    }

                    arena[rowOut + c] = (byte)result;
                }
            }
        }
    }
}
