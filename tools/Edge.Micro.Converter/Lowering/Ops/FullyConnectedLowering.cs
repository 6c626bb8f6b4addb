using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;
using static Edge.Micro.Converter.Lowering.Ops.MacOpSupport;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers FULLY_CONNECTED (int8, and int16 activations with int8 weights).</summary>
internal static class FullyConnectedLowering
{
    internal static void Lower(LoweringContext context, TfOperator op)
    {
        TfTensor input = context.In(op, 0), filter = context.In(op, 1), output = context.Out(op);
        TfTensor? bias = context.OptionalIn(op, 2);
        if (input.Type == TfLiteType.Int8 && output.Type == TfLiteType.Int32)
        {
            // TFLM's FullyConnectedPrepare requires output type == input type: there is no TFLM result to match.
            throw Unsupported(op, $"an int32 output '{output.Name}' from an int8 input (TensorFlow Lite Micro refuses it too: its output type must equal the input type)");
        }

        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, filter, "weights", TfLiteType.Int8);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, filter, "weights", 2);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, filter, "weights");
        RequireQuantized(op, output, "output");
        int inputIndex = context.MapArena(op, input, "input");
        int filterIndex = context.MapConstant(op, filter, "weights");
        byte[] weights = filter.Data!;
        FlatTable? o = op.Options;
        int activation = o?.GetByte(0) ?? 0;
        int weightsFormat = o?.GetByte(1) ?? 0;
        if (weightsFormat != 0)
        {
            throw Unsupported(op, "shuffled weights format");
        }

        int outDepth = filter.Shape[0], accumDepth = filter.Shape[1];
        long outputElements = output.ElementCount;
        if (output.Shape.Length == 0 || output.Shape[^1] != outDepth || outputElements % outDepth != 0
            || outputElements / outDepth * accumDepth != input.ElementCount)
        {
            throw Invalid(op, $"input [{string.Join(",", input.Shape)}], weights [{string.Join(",", filter.Shape)}] and output [{string.Join(",", output.Shape)}] do not fit");
        }

        RequireZeroFilterOffsets(op, filter);
        int[] multipliers, shifts;
        if (filter.Scales.Length == 1)
        {
            // TFLM (GetQuantizedConvolutionMultipler): the scale product is taken in float, then widened.
            double real = (double)(input.Scale * filter.Scale) / output.Scale;
            var (m, s) = QuantizationMath.QuantizeMultiplier(real);
            multipliers = [m];
            shifts = [s];
        }
        else
        {
            float[] scales = ChannelScales(op, filter, outDepth, 0);
            multipliers = new int[outDepth];
            shifts = new int[outDepth];
            for (int c = 0; c < outDepth; c++)
            {
                (multipliers[c], shifts[c]) = QuantizationMath.QuantizeMultiplier((double)input.Scale * scales[c] / output.Scale);
            }
        }

        if (input.Type == TfLiteType.Int16)
        {
            AddFullyConnectedS16(context, op, inputIndex, filterIndex, output, bias, multipliers, shifts, activation, outputElements * accumDepth);
            return;
        }

        int inputOffset = -input.ZeroPoint;
        int[] biasValues = BiasValues(op, bias, outDepth) ?? new int[outDepth];
        for (int c = 0; c < outDepth; c++)
        {
            biasValues[c] = unchecked(biasValues[c] + (int)(Int8RowSum(weights, c, accumDepth) * inputOffset));
        }

        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, output.ZeroPoint, -128, 127, $"op {op.Index} ({op.Name})");
        int[] p = new int[FullyConnectedS8.ParamCount];
        p[FullyConnectedS8.InputOffset] = inputOffset;
        p[FullyConnectedS8.OutputOffset] = output.ZeroPoint;
        p[FullyConnectedS8.ActMin] = actMin;
        p[FullyConnectedS8.ActMax] = actMax;
        p[FullyConnectedS8.MultiplierCount] = multipliers.Length;
        p[FullyConnectedS8.BiasFolded] = 1;
        AddMacOp(context, op, OpCode.FullyConnected, [inputIndex, filterIndex], output, p, outputElements * accumDepth,
            new ConstArray(FullyConnectedS8.Multipliers, multipliers), new ConstArray(FullyConnectedS8.Shifts, shifts),
            new ConstArray(FullyConnectedS8.Bias, biasValues));
    }

    private static void AddFullyConnectedS16(LoweringContext context, TfOperator op, int inputIndex, int filterIndex, TfTensor output, TfTensor? bias,
        int[] multipliers, int[] shifts, int activation, long macs)
    {
        RequireSymmetric16(op, context.In(op, 0), output);
        int outDepth = output.Shape[^1];
        var (biasValues, bits) = Bias16(op, bias, outDepth, shifts);
        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, 0, short.MinValue, short.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[FullyConnectedS16.ParamCount];
        p[FullyConnectedS16.ActMin] = actMin;
        p[FullyConnectedS16.ActMax] = actMax;
        p[FullyConnectedS16.MultiplierCount] = multipliers.Length;
        p[FullyConnectedS16.Bias] = EmmFormat.NoArray;
        p[FullyConnectedS16.AccumulatorBits] = bits;
        AddMacOp(context, op, OpCode.FullyConnectedS16, [inputIndex, filterIndex], output, p, macs,
            new ConstArray(FullyConnectedS16.Multipliers, multipliers), new ConstArray(FullyConnectedS16.Shifts, shifts), biasValues == null ? null : new ConstArray(FullyConnectedS16.Bias, biasValues));
    }
}
