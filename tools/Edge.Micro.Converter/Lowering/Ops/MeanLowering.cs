using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers MEAN over height and width (int8 and int16).</summary>
internal static class MeanLowering
{
    internal static void Lower(LoweringContext context, TfOperator op)
    {
        TfTensor input = context.In(op, 0), axis = context.In(op, 1), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, input, "input", 4);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, output, "output");
        if (axis.Type != TfLiteType.Int32 || axis.Data == null)
        {
            throw Unsupported(op, "a non-constant or non-int32 axis");
        }

        var axes = Enumerable.Range(0, axis.Data.Length / 4).Select(i => BitConverter.ToInt32(axis.Data, i * 4)).OrderBy(x => x).ToArray();
        if (!axes.SequenceEqual([1, 2]))
        {
            throw Unsupported(op, $"a mean over axes [{string.Join(",", axes)}] (only [1,2], height and width, is supported)");
        }

        var (multiplier, shift) = QuantizationMath.QuantizeMultiplier((double)input.Scale / output.Scale);
        int[] p = new int[MeanS8.ParamCount];
        p[MeanS8.InputOffset] = -input.ZeroPoint;
        p[MeanS8.OutputOffset] = output.ZeroPoint;
        p[MeanS8.Multiplier] = multiplier;
        p[MeanS8.Shift] = shift;
        context.Add(new EmmOp { Code = OpCode.Mean, Inputs = [context.MapArena(op, input, "input")], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }
}
