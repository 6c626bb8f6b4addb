using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// AVERAGE_POOL_2D and MAX_POOL_2D, int8 or int16 NHWC (the same type and quantization in and out): TFLM's
    /// reference_integer_ops::AveragePool / MaxPool, whose int8 and int16 forms differ only in the element type.
    /// Windows that hang over the edge use only the positions inside; the average divides by that count,
    /// rounding half away from zero.
    /// </summary>
    public static class PoolingS8
    {
        public const int StrideW = 0;
        public const int StrideH = 1;
        public const int FilterW = 2;
        public const int FilterH = 3;
        public const int PadW = 4;
        public const int PadH = 5;
        public const int ActMin = 6;
        public const int ActMax = 7;
        public const int ParamCount = 8;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            int type = m.TensorType(input);
            bool int16 = type == ElementType.Int16;
            if ((type != ElementType.Int8 && !int16) || m.TensorType(output) != type || m.Rank(input) != 4 || m.Rank(output) != 4
                || m.IsConstant(input) || m.Dim(input, 0) != m.Dim(output, 0) || m.Dim(input, 3) != m.Dim(output, 3))
            {
                return ModelError.BadOpTensors;
            }

            if (!KernelContracts.InRange(m.Param(op, StrideW), 1, 0xFFFF) || !KernelContracts.InRange(m.Param(op, StrideH), 1, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, FilterW), 1, 0xFFFF) || !KernelContracts.InRange(m.Param(op, FilterH), 1, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, PadW), 0, 0xFFFF) || !KernelContracts.InRange(m.Param(op, PadH), 0, 0xFFFF)
                || !KernelContracts.IsActivationRange(m.Param(op, ActMin), m.Param(op, ActMax), int16 ? short.MinValue : -128, int16 ? short.MaxValue : 127))
            {
                return ModelError.BadOpParams;
            }

            return ModelError.None;
        }

        /// <summary>Runs AVERAGE_POOL_2D (average = true) or MAX_POOL_2D.</summary>
        public static void Eval(Model m, int op, byte[] arena, bool average)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int batches = m.Dim(input, 0);
            int inH = m.Dim(input, 1);
            int inW = m.Dim(input, 2);
            int depth = m.Dim(input, 3);
            int outH = m.Dim(output, 1);
            int outW = m.Dim(output, 2);
            int strideW = m.Param(op, StrideW);
            int strideH = m.Param(op, StrideH);
            int filterW = m.Param(op, FilterW);
            int filterH = m.Param(op, FilterH);
            int padW = m.Param(op, PadW);
            int padH = m.Param(op, PadH);
            int actMin = m.Param(op, ActMin);
            int actMax = m.Param(op, ActMax);
            bool int16 = m.TensorType(input) == ElementType.Int16;

            for (int b = 0; b < batches; b++)
            {
                for (int oy = 0; oy < outH; oy++)
                {
                    int inYOrigin = oy * strideH - padH;
                    int yStart = inYOrigin < 0 ? -inYOrigin : 0;
                    int yEnd = inH - inYOrigin < filterH ? inH - inYOrigin : filterH;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int inXOrigin = ox * strideW - padW;
                        int xStart = inXOrigin < 0 ? -inXOrigin : 0;
                        int xEnd = inW - inXOrigin < filterW ? inW - inXOrigin : filterW;
                        for (int c = 0; c < depth; c++)
                        {
                            int acc = average ? 0 : (int16 ? short.MinValue : sbyte.MinValue);
                            int count = 0;
                            for (int fy = yStart; fy < yEnd; fy++)
                            {
                                for (int fx = xStart; fx < xEnd; fx++)
                                {
                                    int at = ((b * inH + inYOrigin + fy) * inW + inXOrigin + fx) * depth + c;
                                    int v = int16 ? LittleEndian.ReadInt16(arena, inBase + at * 2) : (sbyte)arena[inBase + at];
                                    if (average)
                                    {
                                        acc += v;
                                    }
                                    else if (v > acc)
                                    {
                                        acc = v;
                                    }

                                    count++;
                                }
                            }

                            if (average)
                            {
                                if (count == 0)
                                {
                                    acc = 0; // a window entirely in padding: TFLM fails the op; the converter refuses such models
                                }
                                else
                                {
                                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                                }
                            }

                            acc = acc < actMin ? actMin : (acc > actMax ? actMax : acc);
                            int outAt = ((b * outH + oy) * outW + ox) * depth + c;
                            if (int16)
                            {
                                LittleEndian.WriteInt16(arena, outBase + outAt * 2, acc);
                            }
                            else
                            {
                                arena[outBase + outAt] = (byte)acc;
                            }
                        }
                    }
                }
            }
        }
    }
}
