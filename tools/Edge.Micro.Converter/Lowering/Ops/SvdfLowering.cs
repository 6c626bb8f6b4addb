using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;
using static Edge.Micro.Converter.Lowering.Ops.MacOpSupport;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers SVDF (int8, int8 or int16 state).</summary>
internal static class SvdfLowering
{
    internal static void Lower(LoweringContext context, TfOperator op)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        TfTensor input = context.In(op, 0), feature = context.In(op, 1), time = context.In(op, 2), state = context.In(op, 4), output = context.Out(op);
        TfTensor? bias = context.OptionalIn(op, 3);
        RequireType(op, input, "input", TfLiteType.Int8);
        RequireType(op, feature, "feature weights", TfLiteType.Int8);
        RequireType(op, time, "time weights", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, state, "activation state", time.Type);
        RequireType(op, output, "output", TfLiteType.Int8);
        foreach (var (t, role) in new[] { (input, "input"), (feature, "feature weights"), (time, "time weights"), (state, "activation state"), (output, "output") })
        {
            RequireRank(op, t, role, 2);
            RequireQuantized(op, t, role);
        }

        int rank = o.GetInt(0);
        int batches = input.Shape[0], inputSize = input.Shape[1], filters = feature.Shape[0], memory = time.Shape[1];
        if (rank < 1 || filters % rank != 0)
        {
            throw Invalid(op, $"rank {rank} does not divide the {filters} filters");
        }

        int units = filters / rank;
        if (feature.Shape[1] != inputSize || time.Shape[0] != filters || state.Shape[0] != batches
            || (long)state.Shape[1] != (long)filters * memory || output.Shape[0] != batches || output.Shape[1] != units)
        {
            throw Invalid(op, $"input [{string.Join(",", input.Shape)}], feature weights [{string.Join(",", feature.Shape)}], time weights [{string.Join(",", time.Shape)}], "
                + $"state [{string.Join(",", state.Shape)}] and output [{string.Join(",", output.Shape)}] do not fit rank {rank}");
        }

        RequireZeroFilterOffsets(op, feature);
        RequireZeroFilterOffsets(op, time);
        if (feature.Scales.Length != 1 || time.Scales.Length != 1)
        {
            throw Unsupported(op, "per-channel SVDF weights (TFLM's SVDF is per-tensor)");
        }

        if (bias != null && Math.Abs((double)bias.Scale - (double)(state.Scale * time.Scale)) >= 1e-5)
        {
            throw Invalid(op, $"bias scale {bias.Scale} is not activation state scale x time weights scale ({state.Scale * time.Scale}), as TFLM requires");
        }

        // TFLM's PrepareSvdf: the scale products are taken in float, then widened to double.
        var (featureMultiplier, featureShift) = QuantizationMath.QuantizeMultiplier((double)(input.Scale * feature.Scale / state.Scale));
        var (outputMultiplier, outputShift) = QuantizationMath.QuantizeMultiplier((double)(state.Scale * time.Scale / output.Scale));

        byte[] featureWeights = feature.Data ?? throw Unsupported(op, "non-constant feature weights");
        byte[] timeWeights = time.Data ?? throw Unsupported(op, "non-constant time weights");
        bool wide = time.Type == TfLiteType.Int16;
        var featureOffsets = new int[filters];
        for (int f = 0; f < filters; f++)
        {
            featureOffsets[f] = unchecked((int)(-input.ZeroPoint * Int8RowSum(featureWeights, f, inputSize)));
        }

        int[] biasValues = BiasValues(op, bias, units) ?? new int[units];
        for (int u = 0; u < units; u++)
        {
            long sum = 0;
            for (int i = u * rank * memory; i < (u + 1) * rank * memory; i++)
            {
                sum += wide ? BitConverter.ToInt16(timeWeights, 2 * i) : (sbyte)timeWeights[i];
            }

            // int32 wrap-around is what TFLM's accumulator does: folding is exact modulo 2^32.
            biasValues[u] = unchecked(biasValues[u] - (int)(state.ZeroPoint * sum));
        }

        int[] p = new int[SvdfS8.ParamCount];
        p[SvdfS8.Rank] = rank;
        p[SvdfS8.StateZeroPoint] = state.ZeroPoint;
        p[SvdfS8.OutputZeroPoint] = output.ZeroPoint;
        p[SvdfS8.FeatureMultiplier] = featureMultiplier;
        p[SvdfS8.FeatureShift] = featureShift;
        p[SvdfS8.OutputMultiplier] = outputMultiplier;
        p[SvdfS8.OutputShift] = outputShift;
        var emmOp = new EmmOp
        {
            Code = OpCode.Svdf,
            Inputs = [context.MapArena(op, input, "input"), context.MapConstant(op, feature, "feature weights"), context.MapConstant(op, time, "time weights"), context.Map(state.Index, state: true)],
            Outputs = [context.Map(output.Index)],
            Params = p,
            SourceIndex = op.Index,
            Macs = (long)batches * filters * (inputSize + memory),
        };
        emmOp.Arrays.Add(new ConstArray(SvdfS8.FeatureOffsets, featureOffsets));
        emmOp.Arrays.Add(new ConstArray(SvdfS8.Bias, biasValues));
        context.Add(emmOp);
    }
}
