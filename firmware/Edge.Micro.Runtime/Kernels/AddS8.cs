using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// ADD, int8 or int16 (all three tensors one type), inputs of different scales, 4-D broadcasting (each
    /// input dimension equals the output's or is 1): TFLM's reference Add. Both inputs are shifted left (20 bits
    /// for int8, 15 for int16), rescaled to a common scale, summed and requantized.
    /// </summary>
    public static class AddS8
    {
        public const int LeftShift = 0;
        public const int Input1Offset = 1;
        public const int Input1Multiplier = 2;
        public const int Input1Shift = 3;
        public const int Input2Offset = 4;
        public const int Input2Multiplier = 5;
        public const int Input2Shift = 6;
        public const int OutputOffset = 7;
        public const int OutputMultiplier = 8;
        public const int OutputShift = 9;
        public const int ActMin = 10;
        public const int ActMax = 11;
        public const int ParamCount = 12;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != 2 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int a = m.OpInput(op, 0);
            int b = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            int type = m.TensorType(output);
            if ((type != ElementType.Int8 && type != ElementType.Int16) || m.TensorType(a) != type || m.TensorType(b) != type
                || !Broadcasts(m, a, output) || !Broadcasts(m, b, output))
            {
                return ModelError.BadOpTensors;
            }

            int lowest = type == ElementType.Int16 ? short.MinValue : sbyte.MinValue;
            int highest = type == ElementType.Int16 ? short.MaxValue : sbyte.MaxValue;

            if (!KernelContracts.InRange(m.Param(op, LeftShift), 0, 20)
                || !KernelContracts.InRange(m.Param(op, Input1Shift), -31, 0) || !KernelContracts.InRange(m.Param(op, Input2Shift), -31, 0)
                || !KernelContracts.InRange(m.Param(op, OutputShift), -31, 0)
                || !KernelContracts.InRange(m.Param(op, Input1Offset), -highest, -lowest) || !KernelContracts.InRange(m.Param(op, Input2Offset), -highest, -lowest)
                || !KernelContracts.InRange(m.Param(op, OutputOffset), lowest, highest)
                || !KernelContracts.IsActivationRange(m.Param(op, ActMin), m.Param(op, ActMax), lowest, highest))
            {
                return ModelError.BadOpParams;
            }

            return ModelError.None;
        }

        /// <summary>Runs the op.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int a = m.OpInput(op, 0);
            int b = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            byte[] aBuf = m.Buffer(a, arena);
            byte[] bBuf = m.Buffer(b, arena);
            int aBase = m.DataOffset(a);
            int bBase = m.DataOffset(b);
            int outBase = m.DataOffset(output);
            int leftShift = m.Param(op, LeftShift);
            int in1Offset = m.Param(op, Input1Offset);
            int in1Mult = m.Param(op, Input1Multiplier);
            int in1Shift = m.Param(op, Input1Shift);
            int in2Offset = m.Param(op, Input2Offset);
            int in2Mult = m.Param(op, Input2Multiplier);
            int in2Shift = m.Param(op, Input2Shift);
            int outOffset = m.Param(op, OutputOffset);
            int outMult = m.Param(op, OutputMultiplier);
            int outShift = m.Param(op, OutputShift);
            int actMin = m.Param(op, ActMin);
            int actMax = m.Param(op, ActMax);
            bool wide = m.TensorType(output) == ElementType.Int16;

            // Walk the output as 4-D [d0,d1,d2,d3]; a broadcast input dimension has stride 0.
            int rank = m.Rank(output);
            int d0 = PaddedDim(m, output, rank, 0);
            int d1 = PaddedDim(m, output, rank, 1);
            int d2 = PaddedDim(m, output, rank, 2);
            int d3 = PaddedDim(m, output, rank, 3);
            int index = 0;
            for (int i0 = 0; i0 < d0; i0++)
            {
                for (int i1 = 0; i1 < d1; i1++)
                {
                    for (int i2 = 0; i2 < d2; i2++)
                    {
                        for (int i3 = 0; i3 < d3; i3++)
                        {
                            int x = Load(aBuf, aBase, BroadcastIndex(m, a, rank, i0, i1, i2, i3), wide) + in1Offset;
                            int y = Load(bBuf, bBase, BroadcastIndex(m, b, rank, i0, i1, i2, i3), wide) + in2Offset;
                            int sx = FixedPoint.MultiplyByQuantizedMultiplierSmallerThanOneExp(x * (1 << leftShift), in1Mult, in1Shift);
                            int sy = FixedPoint.MultiplyByQuantizedMultiplierSmallerThanOneExp(y * (1 << leftShift), in2Mult, in2Shift);
                            int sum = FixedPoint.MultiplyByQuantizedMultiplierSmallerThanOneExp(sx + sy, outMult, outShift) + outOffset;
                            sum = sum < actMin ? actMin : (sum > actMax ? actMax : sum);
                            if (wide)
                            {
                                LittleEndian.WriteInt16(arena, outBase + index * 2, sum);
                            }
                            else
                            {
                                arena[outBase + index] = (byte)sum;
                            }

                            index++;
                        }
                    }
                }
            }
        }

        // Element i of an int8 or int16 tensor starting at base.
        private static int Load(byte[] buffer, int baseOffset, int i, bool wide)
        {
            return wide ? LittleEndian.ReadInt16(buffer, baseOffset + i * 2) : (sbyte)buffer[baseOffset + i];
        }

        private static bool Broadcasts(Model m, int input, int output)
        {
            int rank = m.Rank(output);
            if (m.Rank(input) > rank)
            {
                return false;
            }

            for (int i = 0; i < EmmFormat.MaxRank; i++)
            {
                int di = PaddedDim(m, input, m.Rank(input), i);
                if (di != 1 && di != PaddedDim(m, output, rank, i))
                {
                    return false;
                }
            }

            return true;
        }

        // Dimension i of a tensor right-aligned into 4 dimensions (missing leading dimensions are 1).
        private static int PaddedDim(Model m, int t, int rank, int i)
        {
            int k = i - (EmmFormat.MaxRank - rank);
            return k < 0 ? 1 : m.Dim(t, k);
        }

        private static int BroadcastIndex(Model m, int t, int outRank, int i0, int i1, int i2, int i3)
        {
            int rank = m.Rank(t);
            int e0 = PaddedDim(m, t, rank, 0);
            int e1 = PaddedDim(m, t, rank, 1);
            int e2 = PaddedDim(m, t, rank, 2);
            int e3 = PaddedDim(m, t, rank, 3);
            return (((e0 == 1 ? 0 : i0) * e1 + (e1 == 1 ? 0 : i1)) * e2 + (e2 == 1 ? 0 : i2)) * e3 + (e3 == 1 ? 0 : i3);
        }
    }
}
