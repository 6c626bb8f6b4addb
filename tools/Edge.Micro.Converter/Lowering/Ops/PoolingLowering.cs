using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;
using static Edge.Micro.Converter.Lowering.Ops.MacOpSupport;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers AVERAGE_POOL_2D and MAX_POOL_2D (int8 and int16).</summary>
internal static class PoolingLowering
{
    internal static void Lower(LoweringContext context, TfOperator op, int code)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        TfTensor input = context.In(op, 0), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, input, "input", 4);
        RequireRank(op, output, "output", 4);
        RequireQuantized(op, output, "output");
        if (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint)
        {
            throw Unsupported(op, "different input and output quantization");
        }

        int padding = o.GetByte(0), strideW = o.GetInt(1), strideH = o.GetInt(2), filterW = o.GetInt(3), filterH = o.GetInt(4);
        if (strideW < 1 || strideH < 1 || filterW < 1 || filterH < 1)
        {
            throw Invalid(op, "strides and filter size must be at least 1");
        }

        var (padH, expectH) = Padding(op, padding, input.Shape[1], filterH, strideH, 1);
        var (padW, expectW) = Padding(op, padding, input.Shape[2], filterW, strideW, 1);
        if (expectH != output.Shape[1] || expectW != output.Shape[2] || input.Shape[0] != output.Shape[0] || input.Shape[3] != output.Shape[3])
        {
            throw Invalid(op, "output shape does not match the input, filter and strides");
        }

        bool int16 = input.Type == TfLiteType.Int16;
        var (actMin, actMax) = QuantizationMath.ActivationRange(o.GetByte(5), output.Scale, output.ZeroPoint,
            int16 ? short.MinValue : sbyte.MinValue, int16 ? short.MaxValue : sbyte.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[PoolingS8.ParamCount];
        p[PoolingS8.StrideW] = strideW;
        p[PoolingS8.StrideH] = strideH;
        p[PoolingS8.FilterW] = filterW;
        p[PoolingS8.FilterH] = filterH;
        p[PoolingS8.PadW] = padW;
        p[PoolingS8.PadH] = padH;
        p[PoolingS8.ActMin] = actMin;
        p[PoolingS8.ActMax] = actMax;
        context.Add(new EmmOp { Code = code, Inputs = [context.MapArena(op, input, "input")], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }
}
