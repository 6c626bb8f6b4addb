using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// FULLY_CONNECTED_S16: int16 input and output (zero point 0), int8 weights [O, D] per-tensor or per-channel:
    /// TFLM's 16x8 reference_integer_ops::FullyConnected / FullyConnectedPerChannel, with the int64 accumulator
    /// for an int64 bias and the int32 one otherwise (<see cref="ConvS16"/> explains the two).
    /// </summary>
    public static class FullyConnectedS16
    {
        public const int ActMin = 0;
        public const int ActMax = 1;
        public const int Multipliers = 2;
        public const int Shifts = 3;
        public const int MultiplierCount = 4;
        public const int Bias = 5;
        public const int AccumulatorBits = 6;
        public const int ParamCount = 7;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (!FullyConnectedS8.TensorsFit(m, op, ParamCount, ElementType.Int16))
            {
                return ModelError.BadOpTensors;
            }

            int outDepth = m.Dim(m.OpInput(op, 1), 0);

            int count = m.Param(op, MultiplierCount);
            if ((count != 1 && count != outDepth)
                || !KernelContracts.IsActivationRange(m.Param(op, ActMin), m.Param(op, ActMax), short.MinValue, short.MaxValue))
            {
                return ModelError.BadOpParams;
            }

            return ConvS16.ValidateRequant(m, op, Multipliers, Shifts, Bias, AccumulatorBits, count, outDepth);
        }

        /// <summary>Runs the op.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            byte[] w = m.Bytes;
            int inBase = m.DataOffset(input), wBase = m.DataOffset(filter), outBase = m.DataOffset(output);
            int outDepth = m.Dim(filter, 0), depth = m.Dim(filter, 1);
            int batches = m.ElementCount(output) / outDepth;
            bool wide = m.Param(op, AccumulatorBits) == 64;
            bool perChannel = m.Param(op, MultiplierCount) != 1;
            int multBase = m.ArrayOffset(op, Multipliers), shiftBase = m.ArrayOffset(op, Shifts);
            bool hasBias = m.Param(op, Bias) != EmmFormat.NoArray;
            int biasBase = hasBias ? m.ArrayOffset(op, Bias) : 0;
            int actMin = m.Param(op, ActMin), actMax = m.Param(op, ActMax);

            for (int b = 0; b < batches; b++)
            {
                int inRow = inBase + b * depth * 2;
                for (int oc = 0; oc < outDepth; oc++)
                {
                    int wRow = wBase + oc * depth;
                    long acc = 0;
                    for (int d = 0; d < depth; d++)
                    {
                        acc += (sbyte)w[wRow + d] * LittleEndian.ReadInt16(arena, inRow + d * 2);
                    }

                    int v = ConvS16.Requantize(w, wide, acc, hasBias, biasBase, multBase, shiftBase, oc, perChannel ? oc : 0);
                    LittleEndian.WriteInt16(arena, outBase + (b * outDepth + oc) * 2, v < actMin ? actMin : (v > actMax ? actMax : v));
                }
            }
        }
    }
}
