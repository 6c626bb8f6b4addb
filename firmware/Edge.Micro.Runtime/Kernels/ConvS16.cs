using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// CONV_2D_S16 and DEPTHWISE_CONV_2D_S16: int16 activations (zero point 0), int8 per-channel weights, TFLM's
    /// 16x8 reference_integer_ops::ConvPerChannel / DepthwiseConvPerChannel. The accumulator is int64 with an
    /// int64 bias (<see cref="AccumulatorBits"/> 64, MultiplyByQuantizedMultiplier's int64 form) and int32 without
    /// a bias or with an int32 one (32, the int32 form), exactly as TFLM picks the template by the bias type.
    /// Padded positions are skipped. Tensors: input [N,H,W,C] (arena), filter (constant) -> output.
    /// </summary>
    public static class ConvS16
    {
        public const int StrideW = 0;
        public const int StrideH = 1;
        public const int DilationW = 2;
        public const int DilationH = 3;
        public const int PadW = 4;
        public const int PadH = 5;
        public const int ActMin = 6;
        public const int ActMax = 7;
        public const int DepthMultiplier = 8;
        public const int Multipliers = 9;
        public const int Shifts = 10;
        public const int Bias = 11;
        public const int AccumulatorBits = 12;
        public const int ParamCount = 13;

        /// <summary>Checks a CONV_2D_S16 (depthwise false) or DEPTHWISE_CONV_2D_S16 op; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op, bool depthwise)
        {
            if (m.OpInputCount(op) != 2 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            if (!IsInt16Rank4(m, input) || !IsInt16Rank4(m, output) || !KernelContracts.IsInt8Rank4(m, filter)
                || !m.IsConstant(filter) || m.IsConstant(input) || m.Dim(input, 0) != m.Dim(output, 0))
            {
                return ModelError.BadOpTensors;
            }

            int channels = m.Dim(output, 3);
            int multiplier = m.Param(op, DepthMultiplier);
            bool shapesFit = depthwise
                ? m.Dim(filter, 0) == 1 && m.Dim(filter, 3) == channels && multiplier >= 1 && (long)m.Dim(input, 3) * multiplier == channels
                : m.Dim(filter, 3) == m.Dim(input, 3) && m.Dim(filter, 0) == channels && multiplier == 0;
            if (!shapesFit)
            {
                return ModelError.BadOpTensors;
            }

            if (!KernelContracts.InRange(m.Param(op, StrideW), 1, 0xFFFF) || !KernelContracts.InRange(m.Param(op, StrideH), 1, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, DilationW), 1, 0xFFFF) || !KernelContracts.InRange(m.Param(op, DilationH), 1, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, PadW), 0, 0xFFFF) || !KernelContracts.InRange(m.Param(op, PadH), 0, 0xFFFF)
                || !KernelContracts.IsActivationRange(m.Param(op, ActMin), m.Param(op, ActMax), short.MinValue, short.MaxValue))
            {
                return ModelError.BadOpParams;
            }

            return ValidateRequant(m, op, Multipliers, Shifts, Bias, AccumulatorBits, channels, channels);
        }

        /// <summary>
        /// Checks the multipliers and shifts (<paramref name="multiplierCount"/> values) and the bias (int32 or,
        /// with a 64-bit accumulator, int64 values) of a 16x8 op. Shared with <see cref="FullyConnectedS16"/>.
        /// </summary>
        internal static int ValidateRequant(Model m, int op, int multipliersParam, int shiftsParam, int biasParam, int bitsParam,
            int multiplierCount, int channels)
        {
            int bits = m.Param(op, bitsParam);
            if (bits != 32 && bits != 64)
            {
                return ModelError.BadOpParams;
            }

            int error = KernelContracts.ValidateRequantArrays(m, op, multipliersParam, shiftsParam, EmmFormat.NoArray, multiplierCount);
            if (error != ModelError.None)
            {
                return error;
            }

            if (bits == 64)
            {
                // The int64 form of MultiplyByQuantizedMultiplier takes shifts up to 7 only.
                for (int c = 0; c < multiplierCount; c++)
                {
                    if (m.ArrayInt32(op, shiftsParam, c) > 7)
                    {
                        return ModelError.BadOpParams;
                    }
                }
            }

            bool hasBias = m.Param(op, biasParam) != EmmFormat.NoArray;
            return !hasBias || m.HasInt32Array(op, biasParam, bits == 64 ? 2 * channels : channels) ? ModelError.None : ModelError.ArrayOutOfRange;
        }

        /// <summary>Runs CONV_2D_S16 (depthwise false) or DEPTHWISE_CONV_2D_S16.</summary>
        public static void Eval(Model m, int op, byte[] arena, bool depthwise)
        {
            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            byte[] w = m.Bytes;
            int inBase = m.DataOffset(input), wBase = m.DataOffset(filter), outBase = m.DataOffset(output);
            int batches = m.Dim(input, 0), inH = m.Dim(input, 1), inW = m.Dim(input, 2), inC = m.Dim(input, 3);
            int kH = m.Dim(filter, 1), kW = m.Dim(filter, 2);
            int outH = m.Dim(output, 1), outW = m.Dim(output, 2), outC = m.Dim(output, 3);
            int strideW = m.Param(op, StrideW), strideH = m.Param(op, StrideH);
            int dilationW = m.Param(op, DilationW), dilationH = m.Param(op, DilationH);
            int padW = m.Param(op, PadW), padH = m.Param(op, PadH);
            int depthMultiplier = m.Param(op, DepthMultiplier);
            int actMin = m.Param(op, ActMin), actMax = m.Param(op, ActMax);
            bool wide = m.Param(op, AccumulatorBits) == 64;
            int multBase = m.ArrayOffset(op, Multipliers), shiftBase = m.ArrayOffset(op, Shifts);
            bool hasBias = m.Param(op, Bias) != EmmFormat.NoArray;
            int biasBase = hasBias ? m.ArrayOffset(op, Bias) : 0;

            for (int b = 0; b < batches; b++)
            {
                for (int oy = 0; oy < outH; oy++)
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        for (int oc = 0; oc < outC; oc++)
                        {
                            long acc = 0;
                            for (int fy = 0; fy < kH; fy++)
                            {
                                int iy = oy * strideH - padH + dilationH * fy;
                                for (int fx = 0; fx < kW; fx++)
                                {
                                    int ix = ox * strideW - padW + dilationW * fx;
                                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW)
                                    {
                                        continue;
                                    }

                                    int pixel = inBase + ((b * inH + iy) * inW + ix) * inC * 2;
                                    if (depthwise)
                                    {
                                        int x = LittleEndian.ReadInt16(arena, pixel + (oc / depthMultiplier) * 2);
                                        acc += (sbyte)w[wBase + (fy * kW + fx) * outC + oc] * x;
                                    }
                                    else
                                    {
                                        int wRow = wBase + ((oc * kH + fy) * kW + fx) * inC;
                                        for (int ic = 0; ic < inC; ic++)
                                        {
                                            acc += (sbyte)w[wRow + ic] * LittleEndian.ReadInt16(arena, pixel + ic * 2);
                                        }
                                    }
                                }
                            }

                            int scaled = Requantize(w, wide, acc, hasBias, biasBase, multBase, shiftBase, oc, oc);
                            int v = scaled < actMin ? actMin : (scaled > actMax ? actMax : scaled);
                            LittleEndian.WriteInt16(arena, outBase + (((b * outH + oy) * outW + ox) * outC + oc) * 2, v);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Adds the bias of channel <paramref name="biasChannel"/> to the exact sum <paramref name="acc"/> and
        /// rescales with the multiplier and shift of <paramref name="quantChannel"/>: the int64 accumulator and
        /// its MultiplyByQuantizedMultiplier form, or TFLM's wrapping int32 accumulator (the sum's low 32 bits)
        /// and the int32 form.
        /// </summary>
        internal static int Requantize(byte[] w, bool wide, long acc, bool hasBias, int biasBase, int multBase, int shiftBase,
            int biasChannel, int quantChannel)
        {
            int multiplier = LittleEndian.ReadInt32(w, multBase + quantChannel * 4);
            int shift = LittleEndian.ReadInt32(w, shiftBase + quantChannel * 4);
            if (wide)
            {
                if (hasBias)
                {
                    acc += (uint)LittleEndian.ReadInt32(w, biasBase + biasChannel * 8) | ((long)LittleEndian.ReadInt32(w, biasBase + biasChannel * 8 + 4) << 32);
                }

                return FixedPoint.MultiplyByQuantizedMultiplierWide(acc, multiplier, shift);
            }

            int acc32 = (int)acc;
            if (hasBias)
            {
                acc32 += LittleEndian.ReadInt32(w, biasBase + biasChannel * 4);
            }

            return FixedPoint.MultiplyByQuantizedMultiplier(acc32, multiplier, shift);
        }

        /// <summary>An int16 tensor of rank 4.</summary>
        internal static bool IsInt16Rank4(Model m, int t)
        {
            return m.TensorType(t) == ElementType.Int16 && m.Rank(t) == 4;
        }
    }
}
