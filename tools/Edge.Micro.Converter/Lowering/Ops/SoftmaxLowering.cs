using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers SOFTMAX: int8 to int8 or int16, int16 to int16.</summary>
internal static class SoftmaxLowering
{
    internal static void Lower(LoweringContext context, TfOperator op)
    {
        TfTensor input = context.In(op, 0), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        if (input.Type == TfLiteType.Int16)
        {
            RequireType(op, output, "output", TfLiteType.Int16);
            LowerSoftmaxS16(context, op, input, output);
            return;
        }

        // int8 in: int8 out (scale 1/256, zero point -128) or int16 out (scale 1/65536 within 0.1%, zero point
        // -32768), TFLM's CalculateSoftmaxParams; the kernel (SoftmaxS8) takes the output width from the tensor.
        RequireType(op, output, "output", TfLiteType.Int8, TfLiteType.Int16);
        RequireQuantized(op, input, "input");
        if (output.Type == TfLiteType.Int8 && (output.ZeroPoint != -128 || output.Scale != 1f / 256))
        {
            throw Unsupported(op, $"an int8 output with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires 1/256 and -128)");
        }

        if (output.Type == TfLiteType.Int16 && (output.ZeroPoint != -32768 || Math.Abs(output.Scale - 1.0 / 65536) > 0.001 / 65536))
        {
            throw Unsupported(op, $"an int16 output of an int8 softmax with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires 1/65536 and -32768)");
        }

        if (input.Shape.Length == 0 || input.Shape[^1] > SoftmaxS8.MaxDepth)
        {
            throw Unsupported(op, $"a softmax over more than {SoftmaxS8.MaxDepth} classes");
        }

        const int ScaledDiffIntegerBits = 5;
        double beta = op.Options?.GetFloat(0) ?? 0f;
        double real = Math.Min(beta * input.Scale * (1 << (31 - ScaledDiffIntegerBits)), (1L << 31) - 1.0);
        var (multiplier, leftShift) = QuantizationMath.QuantizeMultiplierGreaterThanOne(real);
        int diffMin = -QuantizationMath.CalculateInputRadius(ScaledDiffIntegerBits, leftShift);
        int[] p = new int[SoftmaxS8.ParamCount];
        p[SoftmaxS8.InputMultiplier] = multiplier;
        p[SoftmaxS8.InputLeftShift] = leftShift;
        p[SoftmaxS8.DiffMin] = diffMin;
        context.Add(new EmmOp { Code = OpCode.Softmax, Inputs = [context.MapArena(op, input, "input")], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    private static void LowerSoftmaxS16(LoweringContext context, TfOperator op, TfTensor input, TfTensor output)
    {
        RequireQuantized(op, input, "input");
        if (output.ZeroPoint != 0 || Math.Abs(output.Scale - 1f / 32768) > 0.001f / 32768)
        {
            throw Unsupported(op, $"an int16 output with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires 1/32768 and 0)");
        }

        if (input.Shape.Length == 0 || input.Shape[^1] > SoftmaxS16.MaxDepth)
        {
            throw Unsupported(op, $"a softmax over more than {SoftmaxS16.MaxDepth} classes");
        }

        // TFLM's CalculateSoftmaxParams for int16: differences scaled so that [-65535, 0] is [-10, 0].
        double beta = op.Options?.GetFloat(0) ?? 0f;
        var (multiplier, shift) = QuantizationMath.QuantizeMultiplier((double)input.Scale * beta / (10.0 / 65535.0));
        int[] p = new int[SoftmaxS16.ParamCount];
        p[SoftmaxS16.InputMultiplier] = multiplier;
        p[SoftmaxS16.InputShift] = shift;
        var emmOp = new EmmOp { Code = OpCode.SoftmaxS16, Inputs = [context.MapArena(op, input, "input")], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index };
        emmOp.Arrays.Add(new ConstArray(SoftmaxS16.ExpTable, PackInt16(QuantizationMath.Int16Table(MathF.Exp, -10f, 0f, -1f, 1f))));
        emmOp.Arrays.Add(new ConstArray(SoftmaxS16.ReciprocalTable, PackInt16(QuantizationMath.Int16Table(x => 1f / (1f + x), 0f, 1f, -1f, 1f))));
        context.Add(emmOp);
    }

    /// <summary>int16 values two to an int32 word (low half first), padded with zero to whole words.</summary>
    private static int[] PackInt16(short[] values)
    {
        var words = new int[(values.Length + 1) / 2];
        Buffer.BlockCopy(values, 0, words, 0, values.Length * 2);
        return words;
    }
}
