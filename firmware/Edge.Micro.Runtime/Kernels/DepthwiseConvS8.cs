using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// DEPTHWISE_CONV_2D, int8, per-channel weights [1,KH,KW,C*M] with depth multiplier M: TFLM's
    /// reference_integer_ops::DepthwiseConvPerChannel. Output channel ic*M+m reads input channel ic.
    /// Parameters are those of <see cref="ConvS8"/>.
    /// </summary>
    public static class DepthwiseConvS8
    {
        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != 2 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ConvS8.ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int filter = m.OpInput(op, 1);
            int output = m.OpOutput(op, 0);
            int multiplier = m.Param(op, ConvS8.DepthMultiplier);
            if (!KernelContracts.IsInt8Rank4(m, input) || !KernelContracts.IsInt8Rank4(m, filter) || !KernelContracts.IsInt8Rank4(m, output)
                || !m.IsConstant(filter) || m.IsConstant(input) || multiplier < 1
                || m.Dim(input, 0) != m.Dim(output, 0) || m.Dim(filter, 0) != 1
                || m.Dim(filter, 3) != m.Dim(output, 3) || (long)m.Dim(input, 3) * multiplier != m.Dim(output, 3))
            {
                return ModelError.BadOpTensors;
            }

            return ConvS8.ValidateCommonParams(m, op, m.Dim(output, 3));
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
            int depthMultiplier = m.Param(op, ConvS8.DepthMultiplier);

            int strideW = m.Param(op, ConvS8.StrideW);
            int strideH = m.Param(op, ConvS8.StrideH);
            int dilationW = m.Param(op, ConvS8.DilationW);
            int dilationH = m.Param(op, ConvS8.DilationH);
            int padW = m.Param(op, ConvS8.PadW);
            int padH = m.Param(op, ConvS8.PadH);
            int inputOffset = m.Param(op, ConvS8.BiasFolded) != 0 ? 0 : m.Param(op, ConvS8.InputOffset);
            int outputOffset = m.Param(op, ConvS8.OutputOffset);
            int actMin = m.Param(op, ConvS8.ActMin);
            int actMax = m.Param(op, ConvS8.ActMax);
            int multBase = m.ArrayOffset(op, ConvS8.Multipliers);
            int shiftBase = m.ArrayOffset(op, ConvS8.Shifts);
            bool hasBias = m.Param(op, ConvS8.Bias) != EmmFormat.NoArray;
            int biasBase = hasBias ? m.ArrayOffset(op, ConvS8.Bias) : 0;

            for (int b = 0; b < batches; b++)
            {
                for (int oy = 0; oy < outH; oy++)
                {
                    int inYOrigin = oy * strideH - padH;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int inXOrigin = ox * strideW - padW;
                        for (int ic = 0; ic < inC; ic++)
                        {
                            for (int dm = 0; dm < depthMultiplier; dm++)
                            {
                                int oc = ic * depthMultiplier + dm;
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

                                        int x = (sbyte)arena[inBase + ((b * inH + iy) * inW + ix) * inC + ic];
                                        int f = (sbyte)w[wBase + (ky * kW + kx) * outC + oc];
                                        acc += f * (x + inputOffset);
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
}
