using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// SOFTMAX over the last dimension, int8 in; int8 out with scale 1/256 and zero point -128, or int16 out with
    /// scale 1/65536 and zero point -32768 (the output tensor's type says which): TFLM's reference_ops::Softmax
    /// with gemmlowp's fixed-point exp (input differences in Q5.26, sums in Q12.19); the two outputs differ only in
    /// the final shift and the range.
    /// </summary>
    public static class SoftmaxS8
    {
        public const int InputMultiplier = 0;
        public const int InputLeftShift = 1;
        public const int DiffMin = 2;
        public const int ParamCount = 3;

        private const int ScaledDiffIntegerBits = 5;
        private const int AccumulationIntegerBits = 12;

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
            bool outputFits = m.TensorType(output) == type || (type == Format.ElementType.Int8 && m.TensorType(output) == Format.ElementType.Int16);
            return m.TensorType(input) == type && outputFits && !m.IsConstant(input)
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
            bool wide = m.TensorType(output) == Format.ElementType.Int16;
            int outputBits = wide ? 16 : 8;
            int outputMin = wide ? -32768 : -128;
            int outputMax = wide ? 32767 : 127;

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
                    int result = outputMin;
                    if (diff >= diffMin)
                    {
                        int scaled = FixedPoint.MultiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                        int exp = FixedPoint.ExpOnNegativeValues(scaled, ScaledDiffIntegerBits);
                        int unsat = FixedPoint.RoundingDivideByPOT(FixedPoint.SaturatingRoundingDoublingHighMul(shiftedScale, exp), numBitsOverUnit + 31 - outputBits);
                        result = unsat + outputMin;
                        result = result < outputMin ? outputMin : (result > outputMax ? outputMax : result);
                    }

                    if (wide)
                    {
                        Format.LittleEndian.WriteInt16(arena, outBase + 2 * (r * depth + c), (short)result);
                    }
                    else
                    {
                        arena[rowOut + c] = (byte)result;
                    }
                }
            }
        }
    }
}
