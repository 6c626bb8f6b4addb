using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers ADD (int8 and int16).</summary>
internal static class AddLowering
{
    internal static void Lower(LoweringContext context, TfOperator op)
    {
        TfTensor a = context.In(op, 0), b = context.In(op, 1), output = context.Out(op);
        RequireType(op, output, "output", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, a, "input 1", output.Type);
        RequireType(op, b, "input 2", output.Type);
        bool int16 = output.Type == TfLiteType.Int16;
        RequireQuantized(op, a, "input 1");
        RequireQuantized(op, b, "input 2");
        RequireQuantized(op, output, "output");
        // TFLM's CalculateOpDataAdd: 20 bits of headroom for int8, 15 for int16.
        int leftShift = int16 ? 15 : 20;
        double twiceMaxInputScale = 2 * (double)Math.Max(a.Scale, b.Scale);
        var (m1, s1) = QuantizationMath.QuantizeMultiplierSmallerThanOneExp(a.Scale / twiceMaxInputScale);
        var (m2, s2) = QuantizationMath.QuantizeMultiplierSmallerThanOneExp(b.Scale / twiceMaxInputScale);
        var (mo, so) = QuantizationMath.QuantizeMultiplierSmallerThanOneExp(twiceMaxInputScale / ((1 << leftShift) * (double)output.Scale));
        var (actMin, actMax) = QuantizationMath.ActivationRange(op.Options?.GetByte(0) ?? 0, output.Scale, output.ZeroPoint,
            int16 ? short.MinValue : sbyte.MinValue, int16 ? short.MaxValue : sbyte.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[AddS8.ParamCount];
        p[AddS8.LeftShift] = leftShift;
        p[AddS8.Input1Offset] = -a.ZeroPoint;
        p[AddS8.Input1Multiplier] = m1;
        p[AddS8.Input1Shift] = s1;
        p[AddS8.Input2Offset] = -b.ZeroPoint;
        p[AddS8.Input2Multiplier] = m2;
        p[AddS8.Input2Shift] = s2;
        p[AddS8.OutputOffset] = output.ZeroPoint;
        p[AddS8.OutputMultiplier] = mo;
        p[AddS8.OutputShift] = so;
        p[AddS8.ActMin] = actMin;
        p[AddS8.ActMax] = actMax;
        context.Add(new EmmOp { Code = OpCode.Add, Inputs = [context.Map(a.Index), context.Map(b.Index)], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }
}
