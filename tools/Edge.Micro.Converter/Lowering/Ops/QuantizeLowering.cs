using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>Lowers QUANTIZE and DEQUANTIZE.</summary>
internal static class QuantizeLowering
{
    internal static void LowerQuantize(LoweringContext context, TfOperator op)
    {
        TfTensor input = context.In(op, 0), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Float32, TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", TfLiteType.Int8, TfLiteType.Int16);
        RequireQuantized(op, output, "output");
        int[] p = new int[QuantizeKernels.QuantizeParamCount];
        p[QuantizeKernels.OutputZeroPoint] = output.ZeroPoint;
        p[QuantizeKernels.OutputScaleBits] = BitConverter.SingleToInt32Bits(output.Scale);
        if (input.Type != TfLiteType.Float32)
        {
            RequireQuantized(op, input, "input");
            var (m, s) = QuantizationMath.QuantizeMultiplier((double)input.Scale / output.Scale);
            p[QuantizeKernels.InputZeroPoint] = input.ZeroPoint;
            p[QuantizeKernels.Multiplier] = m;
            p[QuantizeKernels.Shift] = s;
        }

        context.Add(new EmmOp { Code = OpCode.Quantize, Inputs = [context.Map(input.Index)], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    internal static void LowerDequantize(LoweringContext context, TfOperator op)
    {
        TfTensor input = context.In(op, 0), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", TfLiteType.Float32);
        RequireQuantized(op, input, "input");
        int[] p = new int[QuantizeKernels.DequantizeParamCount];
        p[QuantizeKernels.ZeroPoint] = input.ZeroPoint;
        p[QuantizeKernels.ScaleBits] = BitConverter.SingleToInt32Bits(input.Scale);
        context.Add(new EmmOp { Code = OpCode.Dequantize, Inputs = [context.Map(input.Index)], Outputs = [context.Map(output.Index)], Params = p, SourceIndex = op.Index });
    }
}
