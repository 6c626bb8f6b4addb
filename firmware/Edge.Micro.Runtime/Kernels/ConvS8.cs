using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// CONV_2D, int8 in and out, int8 per-channel weights (OHWI), int32 bias: TFLM's
    /// reference_integer_ops::ConvPerChannel. Padded input positions are skipped, not treated as the
    /// zero point, which is why the converter folds the input offset into the bias only when no window
    /// ever touches padding (param <see cref="BiasFolded"/>).
    /// Inputs: input [N,H,W,C] (arena), filter [O,KH,KW,C] (constant). Output: [N,OH,OW,O].
    /// </summary>
    public static class ConvS8
    {
        // Parameter layout, shared with DepthwiseConvS8 (docs/format.md, "Conv2D").
        public const int StrideW = 0;
        public const int StrideH = 1;
        public const int DilationW = 2;
        public const int DilationH = 3;
        public const int PadW = 4;
        public const int PadH = 5;
        public const int InputOffset = 6;
        public const int OutputOffset = 7;
        public const int ActMin = 8;
        public const int ActMax = 9;
        public const int DepthMultiplier = 10;
        public const int Multipliers = 11;
        public const int Shifts = 12;
        public const int Bias = 13;
        public const int BiasFolded = 14;
        public const int ParamCount = 15;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != 2 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            if (!KernelContracts.IsInt8Rank4(m, input) || !KernelContracts.IsInt8Rank4(m, filter) || !KernelContracts.IsInt8Rank4(m, output)
                || !m.IsConstant(filter) || m.IsConstant(input)
                || m.Dim(input, 0) != m.Dim(output, 0) || m.Dim(filter, 3) != m.Dim(input, 3) || m.Dim(filter, 0) != m.Dim(output, 3))
            {
                return ModelError.BadOpTensors;
            }

            return ValidateCommonParams(m, op, m.Dim(output, 3));
        }

        /// <summary>Parameter checks shared by CONV_2D and DEPTHWISE_CONV_2D.</summary>
        internal static int ValidateCommonParams(Model m, int op, int channels)
        {
            if (!KernelContracts.InRange(m.Param(op, StrideW), 1, 0xFFFF) || !KernelContracts.InRange(m.Param(op, StrideH), 1, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, DilationW), 1, 0xFFFF) || !KernelContracts.InRange(m.Param(op, DilationH), 1, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, PadW), 0, 0xFFFF) || !KernelContracts.InRange(m.Param(op, PadH), 0, 0xFFFF)
                || !KernelContracts.InRange(m.Param(op, InputOffset), -255, 255) || !KernelContracts.InRange(m.Param(op, OutputOffset), -128, 127)
                || !KernelContracts.IsActivationRange(m.Param(op, ActMin), m.Param(op, ActMax), -128, 127)
                || !KernelContracts.InRange(m.Param(op, BiasFolded), 0, 1))
            {
                return ModelError.BadOpParams;
            }

            return KernelContracts.ValidateRequantArrays(m, op, Multipliers, Shifts, Bias, channels);
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

            int batches = m.Dim(input, 0);
            int inH = m.Dim(input, 1);
            int inW = m.Dim(input, 2);
            int inC = m.Dim(input, 3);
            int kH = m.Dim(filter, 1);
            int kW = m.Dim(filter, 2);
            int outH = m.Dim(output, 1);
            int outW = m.Dim(output, 2);
            int outC = m.Dim(output, 3);

            int strideW = m.Param(op, StrideW);
            int strideH = m.Param(op, StrideH);
            int dilationW = m.Param(op, DilationW);
            int dilationH = m.Param(op, DilationH);
            int padW = m.Param(op, PadW);
            int padH = m.Param(op, PadH);
            int inputOffset = m.Param(op, BiasFolded) != 0 ? 0 : m.Param(op, InputOffset);
            int outputOffset = m.Param(op, OutputOffset);
            int actMin = m.Param(op, ActMin);
            int actMax = m.Param(op, ActMax);
            int multBase = m.ArrayOffset(op, Multipliers);
            int shiftBase = m.ArrayOffset(op, Shifts);
            bool hasBias = m.Param(op, Bias) != EmmFormat.NoArray;
            int biasBase = hasBias ? m.ArrayOffset(op, Bias) : 0;

            for (int b = 0; b < batches; b++)
            {
                for (int oy = 0; oy < outH; oy++)
                {
                    int inYOrigin = oy * strideH - padH;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int inXOrigin = ox * strideW - padW;
                        for (int oc = 0; oc < outC; oc++)
                        {
                            int acc = 0;
                            for (int ky = 0; ky < kH; ky++)
                            {
                                int iy = inYOrigin + dilationH * ky;
                                if (iy < 0 || iy >= inH)
                                {
                                    continue;
                                }

                                for (int kx = 0; kx < kW; kx++)
                                {
                                    int ix = inXOrigin + dilationW * kx;
                                    if (ix < 0 || ix >= inW)
                                    {
                                        continue;
                                    }

                                    int inRow = inBase + ((b * inH + iy) * inW + ix) * inC;
                                    int wRow = wBase + ((oc * kH + ky) * kW + kx) * inC;
                                    for (int ic = 0; ic < inC; ic++)
                                    {
                                        acc += (sbyte)w[wRow + ic] * ((sbyte)arena[inRow + ic] + inputOffset);
                                    }
                                }
                            }

                            if (hasBias)
                            {
                                acc += LittleEndian.ReadInt32(w, biasBase + oc * 4);
                            }

                            acc = FixedPoint.MultiplyByQuantizedMultiplier(acc, LittleEndian.ReadInt32(w, multBase + oc * 4), LittleEndian.ReadInt32(w, shiftBase + oc * 4));
                            acc += outputOffset;
                            acc = acc < actMin ? actMin : (acc > actMax ? actMax : acc);
                            arena[outBase + ((b * outH + oy) * outW + ox) * outC + oc] = (byte)acc;
                        }
                    }
                }
            }
        }
    }
}
