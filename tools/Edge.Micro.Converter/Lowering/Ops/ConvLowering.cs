using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;
using static Edge.Micro.Converter.Lowering.Ops.MacOpSupport;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers CONV_2D and DEPTHWISE_CONV_2D (int8, and int16 activations with int8 weights).</summary>
internal static class ConvLowering
{
    internal static void Lower(LoweringContext context, TfOperator op, bool depthwise)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        TfTensor input = context.In(op, 0), filter = context.In(op, 1), output = context.Out(op);
        TfTensor? bias = context.OptionalIn(op, 2);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, filter, "filter", TfLiteType.Int8);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, input, "input", 4);
        RequireRank(op, filter, "filter", 4);
        RequireRank(op, output, "output", 4);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, filter, "filter");
        RequireQuantized(op, output, "output");
        int inputIndex = context.MapArena(op, input, "input");
        int filterIndex = context.MapConstant(op, filter, "filter");
        byte[] weights = filter.Data!;

        int padding = o.GetByte(0);
        int strideW = o.GetInt(1), strideH = o.GetInt(2);
        int activation = depthwise ? o.GetByte(4) : o.GetByte(3);
        int dilationW = depthwise ? o.GetInt(5, 1) : o.GetInt(4, 1);
        int dilationH = depthwise ? o.GetInt(6, 1) : o.GetInt(5, 1);
        if (strideW < 1 || strideH < 1 || dilationW < 1 || dilationH < 1)
        {
            throw Invalid(op, $"strides ({strideW},{strideH}) and dilations ({dilationW},{dilationH}) must be at least 1");
        }

        int n = input.Shape[0], inH = input.Shape[1], inW = input.Shape[2], inC = input.Shape[3];
        int kH = filter.Shape[1], kW = filter.Shape[2];
        int outH = output.Shape[1], outW = output.Shape[2], outC = output.Shape[3];
        int depthMultiplier = 0;
        if (depthwise)
        {
            if (filter.Shape[0] != 1 || filter.Shape[3] != outC || outC % inC != 0)
            {
                throw Invalid(op, $"filter [{string.Join(",", filter.Shape)}] does not fit input channels {inC} and output channels {outC}");
            }

            depthMultiplier = outC / inC;
        }
        else if (filter.Shape[3] != inC || filter.Shape[0] != outC)
        {
            throw Invalid(op, $"filter [{string.Join(",", filter.Shape)}] does not fit input channels {inC} and output channels {outC} (grouped convolution is not supported)");
        }

        if (output.Shape[0] != n)
        {
            throw Invalid(op, "input and output batch differ");
        }

        var (padH, expectH) = Padding(op, padding, inH, kH, strideH, dilationH);
        var (padW, expectW) = Padding(op, padding, inW, kW, strideW, dilationW);
        if (expectH != outH || expectW != outW)
        {
            throw Invalid(op, $"output is {outH}x{outW} but the padding, strides and filter give {expectH}x{expectW}");
        }

        int quantDim = depthwise ? 3 : 0;
        int[] multipliers = new int[outC], shifts = new int[outC];
        float[] filterScales = ChannelScales(op, filter, outC, quantDim);
        for (int c = 0; c < outC; c++)
        {
            double effective = (double)input.Scale * filterScales[c] / output.Scale;
            (multipliers[c], shifts[c]) = QuantizationMath.QuantizeMultiplier(effective);
        }

        RequireZeroFilterOffsets(op, filter);
        long macs = (long)n * outH * outW * outC * kH * kW * (depthwise ? 1 : inC);
        if (input.Type == TfLiteType.Int16)
        {
            int[] geometry = [strideW, strideH, dilationW, dilationH, padW, padH];
            AddConvS16(context, op, depthwise, input, inputIndex, filterIndex, output, bias, geometry, depthMultiplier, multipliers, shifts, activation, macs);
            return;
        }

        int inputOffset = -input.ZeroPoint;
        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, output.ZeroPoint, -128, 127, $"op {op.Index} ({op.Name})");

        // Folding the input offset into the bias is exact only when no window touches padding
        // (TFLM skips padded positions instead of reading the zero point).
        bool windowsInside = padH == 0 && padW == 0
            && (outH - 1) * strideH + (kH - 1) * dilationH < inH && (outW - 1) * strideW + (kW - 1) * dilationW < inW;
        int[]? biasValues = BiasValues(op, bias, outC);
        bool fold = windowsInside && inputOffset != 0;
        if (fold)
        {
            biasValues ??= new int[outC];
            int perChannel = kH * kW * (depthwise ? 1 : inC);
            for (int c = 0; c < outC; c++)
            {
                long sum = 0;
                for (int i = 0; i < perChannel; i++)
                {
                    int index = depthwise ? i * outC + c : c * perChannel + i;
                    sum += (sbyte)weights[index];
                }

                // int32 wrap-around is what the kernel's accumulator does anyway: folding is exact modulo 2^32.
                biasValues[c] = unchecked(biasValues[c] + (int)(sum * inputOffset));
            }
        }

        int[] p = new int[ConvS8.ParamCount];
        p[ConvS8.StrideW] = strideW;
        p[ConvS8.StrideH] = strideH;
        p[ConvS8.DilationW] = dilationW;
        p[ConvS8.DilationH] = dilationH;
        p[ConvS8.PadW] = padW;
        p[ConvS8.PadH] = padH;
        p[ConvS8.InputOffset] = inputOffset;
        p[ConvS8.OutputOffset] = output.ZeroPoint;
        p[ConvS8.ActMin] = actMin;
        p[ConvS8.ActMax] = actMax;
        p[ConvS8.DepthMultiplier] = depthMultiplier;
        p[ConvS8.Bias] = EmmFormat.NoArray;
        p[ConvS8.BiasFolded] = fold ? 1 : 0;
        AddMacOp(context, op, depthwise ? OpCode.DepthwiseConv2D : OpCode.Conv2D, [inputIndex, filterIndex], output, p, macs,
            new ConstArray(ConvS8.Multipliers, multipliers), new ConstArray(ConvS8.Shifts, shifts), biasValues == null ? null : new ConstArray(ConvS8.Bias, biasValues));
    }

    /// <summary>CONV_2D / DEPTHWISE_CONV_2D with int16 activations and int8 weights (TFLM's 16x8 kernels).</summary>
    private static void AddConvS16(LoweringContext context, TfOperator op, bool depthwise, TfTensor input, int inputIndex, int filterIndex, TfTensor output, TfTensor? bias,
        int[] geometry, int depthMultiplier, int[] multipliers, int[] shifts, int activation, long macs)
    {
        RequireSymmetric16(op, input, output);
        int channels = output.Shape[^1];
        var (biasValues, bits) = Bias16(op, bias, channels, shifts);
        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, 0, short.MinValue, short.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[ConvS16.ParamCount];
        Array.Copy(geometry, 0, p, ConvS16.StrideW, geometry.Length);
        p[ConvS16.ActMin] = actMin;
        p[ConvS16.ActMax] = actMax;
        p[ConvS16.DepthMultiplier] = depthMultiplier;
        p[ConvS16.Bias] = EmmFormat.NoArray;
        p[ConvS16.AccumulatorBits] = bits;
        AddMacOp(context, op, depthwise ? OpCode.DepthwiseConv2DS16 : OpCode.Conv2DS16, [inputIndex, filterIndex], output, p, macs,
            new ConstArray(ConvS16.Multipliers, multipliers), new ConstArray(ConvS16.Shifts, shifts), biasValues == null ? null : new ConstArray(ConvS16.Bias, biasValues));
    }
}
