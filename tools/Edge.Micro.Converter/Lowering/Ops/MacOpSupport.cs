using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>
/// What the multiply-accumulate ops (conv, depthwise, fully connected) share: padding, per-channel scales,
/// bias checks, the 16x8 bias and accumulator choice, and the op record with its requantization arrays.
/// </summary>
internal static class MacOpSupport
{
    private const int PaddingSame = 0;
    private const int PaddingValid = 1;

    /// <summary>TFLM's 16x8 kernels ignore zero points: int16 activations must be symmetric.</summary>
    internal static void RequireSymmetric16(TfOperator op, TfTensor input, TfTensor output)
    {
        RequireQuantized(op, input, "input");
        RequireQuantized(op, output, "output");
        if (input.ZeroPoint != 0 || output.ZeroPoint != 0)
        {
            throw Unsupported(op, $"int16 activations with zero points {input.ZeroPoint} and {output.ZeroPoint} (16x8 quantization is symmetric: zero point 0)");
        }
    }

    /// <summary>
    /// The bias of a 16x8 op and the accumulator TFLM picks for it: none or int32 -> a 32-bit accumulator;
    /// int64 -> a 64-bit one, whose bias is stored as int32 pairs (low word first) and whose rescale takes
    /// shifts up to 7 only.
    /// </summary>
    internal static (int[]? Values, int Bits) Bias16(TfOperator op, TfTensor? bias, int channels, int[] shifts)
    {
        if (bias == null)
        {
            return (null, 32);
        }

        if (bias.Type == TfLiteType.Int32)
        {
            return (BiasValues(op, bias, channels), 32);
        }

        if (bias.Type != TfLiteType.Int64 || bias.Data == null || bias.ElementCount != channels)
        {
            throw Unsupported(op, $"bias '{bias.Name}' of type {bias.Type} with {bias.ElementCount} elements (need constant int64 or int32 with {channels})");
        }

        if (shifts.Any(s => s > 7))
        {
            throw Unsupported(op, "a rescale factor of 128 or more with an int64 bias (TFLM's 64-bit rescale takes shifts up to 7)");
        }

        var values = new int[2 * channels];
        Buffer.BlockCopy(bias.Data, 0, values, 0, 8 * channels);
        return (values, 64);
    }

    /// <summary>Adds a multiply-accumulate op (conv, depthwise, fully connected) with its requantization arrays.</summary>
    internal static void AddMacOp(LoweringContext context, TfOperator op, int code, int[] inputs, TfTensor output, int[] p, long macs,
        ConstArray multipliers, ConstArray shifts, ConstArray? bias)
    {
        var emmOp = new EmmOp { Code = code, Inputs = inputs, Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index, Macs = macs };
        emmOp.Arrays.Add(multipliers);
        emmOp.Arrays.Add(shifts);
        if (bias != null)
        {
            emmOp.Arrays.Add(bias);
        }

        context.Add(emmOp);
    }

    /// <summary>TFLM's ComputePaddingHeightWidth for one axis: (padding before, output size).</summary>
    internal static (int Pad, int OutSize) Padding(TfOperator op, int padding, int inSize, int filterSize, int stride, int dilation)
    {
        long effectiveFilter = (long)(filterSize - 1) * dilation + 1;
        long outSize = padding switch
        {
            PaddingSame => (inSize + stride - 1L) / stride,
            PaddingValid => (inSize + stride - effectiveFilter) / stride,
            _ => throw Invalid(op, $"unknown padding {padding}"),
        };
        long total = Math.Max(0, (outSize - 1) * stride + effectiveFilter - inSize);
        if (outSize < 1 || total / 2 > 0xFFFF)
        {
            throw Invalid(op, "the filter does not fit the input");
        }

        return ((int)(total / 2), (int)outSize);
    }

    internal static float[] ChannelScales(TfOperator op, TfTensor filter, int channels, int quantDim)
    {
        if (filter.Scales.Length == 1)
        {
            return Enumerable.Repeat(filter.Scale, channels).ToArray();
        }

        if (filter.Scales.Length != channels || filter.QuantizedDimension != quantDim)
        {
            throw Invalid(op, $"filter has {filter.Scales.Length} scales on dimension {filter.QuantizedDimension}; expected 1 or {channels} on dimension {quantDim}");
        }

        if (filter.Scales.Any(s => !(s > 0) || float.IsInfinity(s)))
        {
            throw Invalid(op, "filter has a non-positive scale");
        }

        return filter.Scales;
    }

    internal static void RequireZeroFilterOffsets(TfOperator op, TfTensor filter)
    {
        if (filter.ZeroPoints.Any(z => z != 0))
        {
            throw Unsupported(op, "asymmetric (non-zero zero point) int8 weights");
        }
    }

    internal static int[]? BiasValues(TfOperator op, TfTensor? bias, int channels)
    {
        if (bias == null)
        {
            return null;
        }

        if (bias.Type != TfLiteType.Int32 || bias.Data == null || bias.ElementCount != channels)
        {
            throw Unsupported(op, $"bias '{bias.Name}' of type {bias.Type} with {bias.ElementCount} elements (need constant int32 with {channels})");
        }

        if (bias.Data.Length != 4 * channels)
        {
            throw Invalid(op, $"bias '{bias.Name}' holds {bias.Data.Length} bytes of data, its {channels} elements need {4 * channels}");
        }

        var values = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            values[c] = BitConverter.ToInt32(bias.Data, c * 4);
        }

        return values;
    }

    /// <summary>
    /// The sum of row <paramref name="row"/> of int8 weights laid out [rows, <paramref name="columns"/>]: what folding
    /// an input zero point into a bias multiplies by.
    /// </summary>
    internal static long Int8RowSum(byte[] weights, int row, int columns)
    {
        long sum = 0;
        for (int k = 0; k < columns; k++)
        {
            sum += (sbyte)weights[row * columns + k];
        }

        return sum;
    }
}
