using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers LOGISTIC and TANH: int8 (gemmlowp's fixed-point functions) and int16 (the sigmoid table).</summary>
internal static class ActivationLowering
{
    /// <summary>The int16 kernels' input unit: 1/12288 = 1/(3 x 2^12), the sigmoid table's nodes being 512 units apart.</summary>
    private const double UnitsPerInput = 3 << 12;

    internal static void Lower(LoweringContext context, TfOperator op, int code)
    {
        TfTensor input = context.In(op, 0), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        if (input.Type == TfLiteType.Int16)
        {
            LowerS16(context, op, code == OpCode.Logistic, input, output);
            return;
        }

        RequireType(op, output, "output", TfLiteType.Int8);
        RequireQuantized(op, input, "input");
        bool logistic = code == OpCode.Logistic;
        float expectedScale = logistic ? 1f / 256 : 1f / 128;
        int expectedZero = logistic ? -128 : 0;
        if (output.Scale != expectedScale || output.ZeroPoint != expectedZero)
        {
            throw Unsupported(op, $"an int8 output with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires {expectedScale} and {expectedZero})");
        }

        const int InputIntegerBits = 4;
        double real = (double)input.Scale * (1 << (31 - InputIntegerBits));
        double q = QuantizationMath.Frexp(real, out int leftShift);
        long multiplier = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (multiplier == 1L << 31)
        {
            multiplier /= 2;
            leftShift++;
        }

        if (leftShift > 30 || leftShift < -31)
        {
            throw Unsupported(op, $"an input scale of {input.Scale}");
        }

        int[] p = new int[ActivationS8.ParamCount];
        p[ActivationS8.InputZeroPoint] = input.ZeroPoint;
        p[ActivationS8.InputMultiplier] = (int)multiplier;
        p[ActivationS8.InputLeftShift] = leftShift;
        p[ActivationS8.InputRangeRadius] = QuantizationMath.CalculateInputRadius(InputIntegerBits, Math.Max(0, leftShift));
        context.Add(new EmmOp { Code = code, Inputs = [context.Map(input.Index)], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    /// <summary>
    /// int16 LOGISTIC / TANH: zero points 0, output scale 2^-15. The input scale becomes (multiplier, left shift)
    /// as TFLM's Prepare makes it (corpus MANIFEST section 9, every row reproduced by the converter's tests): a
    /// power-of-two scale 2^p gives the short form (0, p + 12) where that shift is 0 (LOGISTIC) or 0..1 (TANH);
    /// any other scale gives scale x 12288 x 2^shift truncated, with the shift that puts it in [16384, 32767].
    /// </summary>
    private static void LowerS16(LoweringContext context, TfOperator op, bool logistic, TfTensor input, TfTensor output)
    {
        RequireType(op, output, "output", TfLiteType.Int16);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, output, "output");
        if (input.ZeroPoint != 0 || output.ZeroPoint != 0 || Math.Abs(output.Scale - 1.0 / 32768) > 0.001 / 32768)
        {
            throw Unsupported(op, $"int16 input zero point {input.ZeroPoint}, output scale {output.Scale} and zero point {output.ZeroPoint} "
                + "(TFLM requires zero points 0 and an output scale of 1/32768)");
        }

        var (multiplier, leftShift) = InputRescale(input.Scale, logistic)
            ?? throw Unsupported(op, $"an int16 input scale of {input.Scale} (TFLM's int16 {(logistic ? "LOGISTIC" : "TANH")} takes scales from about 1e-13 to 2.6)");
        int[] p = new int[ActivationS16.ParamCount];
        p[ActivationS16.InputMultiplier] = multiplier;
        p[ActivationS16.InputLeftShift] = leftShift;
        var emmOp = new EmmOp
        {
            Code = logistic ? OpCode.LogisticS16 : OpCode.TanhS16,
            Inputs = [context.Map(input.Index)],
            Outputs = [context.Map(output.Index)],
            Params = p,
            SourceIndex = op.Index,
        };
        emmOp.Arrays.Add(new ConstArray(ActivationS16.SigmoidTable, SigmoidTable.Packed()));
        context.Add(emmOp);
    }

    /// <summary>The int16 kernels' (multiplier, left shift) for an input scale, or null when no shift in 0..30 fits.</summary>
    internal static (int Multiplier, int LeftShift)? InputRescale(float scale, bool logistic)
    {
        double log2 = Math.Log2(scale);
        int power = (int)Math.Round(log2);
        int shortShift = power + 12;
        if (Math.Abs(log2 - power) < 0.001 && (shortShift == 0 || (!logistic && shortShift == 1)))
        {
            return (0, shortShift);
        }

        double units = scale * UnitsPerInput;
        for (int leftShift = 0; leftShift <= ActivationS16.MaxLeftShift; leftShift++)
        {
            double multiplier = units * (1L << leftShift);
            if (multiplier >= 1 << 14)
            {
                return multiplier < 1 << 15 ? ((int)multiplier, leftShift) : null;
            }
        }

        return null;
    }
}
