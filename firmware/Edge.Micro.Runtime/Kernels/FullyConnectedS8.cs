using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// FULLY_CONNECTED, int8 in, int8 weights [O, D] (per-tensor or per-channel), int32 bias, int8 out:
    /// TFLM's reference_integer_ops::FullyConnected. The input offset is folded into the bias by the
    /// converter (always exact here: there is no padding), so the inner loop is a plain int8 dot product.
    /// </summary>
    public static class FullyConnectedS8
    {
        public const int InputOffset = 0;
        public const int OutputOffset = 1;
        public const int ActMin = 2;
        public const int ActMax = 3;
        public const int Multipliers = 4;
        public const int Shifts = 5;
        public const int MultiplierCount = 6;
        public const int Bias = 7;
        public const int BiasFolded = 8;
        public const int ParamCount = 9;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (!TensorsFit(m, op, ParamCount, ElementType.Int8))
            {
                return ModelError.BadOpTensors;
            }

            int outDepth = m.Dim(m.OpInput(op, 1), 0);

            int channels = m.Param(op, MultiplierCount);
            if (!KernelContracts.InRange(m.Param(op, InputOffset), -255, 255) || !KernelContracts.InRange(m.Param(op, OutputOffset), -128, 127)
                || !KernelContracts.IsActivationRange(m.Param(op, ActMin), m.Param(op, ActMax), -128, 127)
                || (channels != 1 && channels != outDepth) || !KernelContracts.InRange(m.Param(op, BiasFolded), 0, 1))
            {
                return ModelError.BadOpParams;
            }

            int error = KernelContracts.ValidateRequantArrays(m, op, Multipliers, Shifts, EmmFormat.NoArray, channels);
            return error != ModelError.None ? error : KernelContracts.ValidateRequantArrays(m, op, EmmFormat.NoArray, EmmFormat.NoArray, Bias, outDepth);
        }

        /// <summary>
        /// The tensor contract shared with <see cref="FullyConnectedS16"/>: input and output of
        /// <paramref name="activationType"/>, constant int8 weights [O, D], output last dim O, input elements =
        /// (output elements / O) x D, and <paramref name="paramCount"/> parameters.
        /// </summary>
        internal static bool TensorsFit(Model m, int op, int paramCount, int activationType)
        {
            if (m.OpInputCount(op) != 2 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != paramCount)
            {
                return false;
            }

            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            if (m.TensorType(input) != activationType || m.TensorType(filter) != ElementType.Int8 || m.TensorType(output) != activationType
                || m.Rank(filter) != 2 || !m.IsConstant(filter) || m.IsConstant(input))
            {
                return false;
            }

            int outDepth = m.Dim(filter, 0);
            return m.LastDim(output) == outDepth && m.ElementCount(output) % outDepth == 0
                && (long)(m.ElementCount(output) / outDepth) * m.Dim(filter, 1) == m.ElementCount(input);
        }

        /// <summary>Runs the op.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            byte[] w = m.Bytes;
            int inBase = m.DataOffset(input);
            int wBase = m.DataOffset(filter);
            int outBase = m.DataOffset(output);
            int outDepth = m.Dim(filter, 0);
            int accumDepth = m.Dim(filter, 1);
            int batches = m.ElementCount(output) / outDepth;

            int inputOffset = m.Param(op, BiasFolded) != 0 ? 0 : m.Param(op, InputOffset);
            int outputOffset = m.Param(op, OutputOffset);
            int actMin = m.Param(op, ActMin);
            int actMax = m.Param(op, ActMax);
            int multBase = m.ArrayOffset(op, Multipliers);
            int shiftBase = m.ArrayOffset(op, Shifts);
            bool perChannel = m.Param(op, MultiplierCount) != 1;
            bool hasBias = m.Param(op, Bias) != EmmFormat.NoArray;
            int biasBase = hasBias ? m.ArrayOffset(op, Bias) : 0;

            for (int b = 0; b < batches; b++)
            {
                int inRow = inBase + b * accumDepth;
                for (int oc = 0; oc < outDepth; oc++)
                {
                    int wRow = wBase + oc * accumDepth;
                    int acc = 0;
                    for (int d = 0; d < accumDepth; d++)
                    {
                        acc += (sbyte)w[wRow + d] * ((sbyte)arena[inRow + d] + inputOffset);
                    }

                    if (hasBias)
                    {
                        acc += LittleEndian.ReadInt32(w, biasBase + oc * 4);
                    }

                    int q = perChannel ? oc * 4 : 0;
                    acc = FixedPoint.MultiplyByQuantizedMultiplier(acc, LittleEndian.ReadInt32(w, multBase + q), LittleEndian.ReadInt32(w, shiftBase + q));
                    acc += outputOffset;
                    acc = acc < actMin ? actMin : (acc > actMax ? actMax : acc);
                    arena[outBase + b * outDepth + oc] = (byte)acc;
                }
            }
        }
    }
}
