using Edge.Micro.Converter.Lowering.Ops;
using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering;

/// <summary>
/// Lowers a TFLite graph to .emm ops, doing TFLM's Prepare work ahead of time: padding, requantization
/// multipliers and shifts, activation ranges, softmax scaling, input offsets folded into biases where
/// exact. Refuses, naming the op and its index, anything the runtime's kernels do not implement.
/// Each op family's lowering is a file in Ops/; <see cref="OpTable"/> says which one takes which TFLite op.
/// </summary>
public static class Lowerer
{
    /// <summary>The TFLite ops this converter lowers, for error messages and help.</summary>
    public const string SupportedOps =
        "CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX, ADD, MEAN (int8, and int16 activations with int8 weights), RESHAPE, SQUEEZE, LOGISTIC, TANH (int8 and int16), QUANTIZE, DEQUANTIZE, SVDF (int8), UNIDIRECTIONAL_SEQUENCE_LSTM (int8 with an int16 cell state)";

    /// <summary>TFLite builtin op code -> its lowering. One line per op.</summary>
    private static readonly Dictionary<int, Action<LoweringContext, TfOperator>> OpTable = new()
    {
        [TfLiteOps.Conv2D] = (c, op) => ConvLowering.Lower(c, op, depthwise: false),
        [TfLiteOps.DepthwiseConv2D] = (c, op) => ConvLowering.Lower(c, op, depthwise: true),
        [TfLiteOps.FullyConnected] = FullyConnectedLowering.Lower,
        [TfLiteOps.AveragePool2D] = (c, op) => PoolingLowering.Lower(c, op, OpCode.AveragePool2D),
        [TfLiteOps.MaxPool2D] = (c, op) => PoolingLowering.Lower(c, op, OpCode.MaxPool2D),
        [TfLiteOps.Reshape] = ReshapeLowering.Lower,
        [TfLiteOps.Squeeze] = ReshapeLowering.Lower,
        [TfLiteOps.Softmax] = SoftmaxLowering.Lower,
        [TfLiteOps.Add] = AddLowering.Lower,
        [TfLiteOps.Mean] = MeanLowering.Lower,
        [TfLiteOps.Logistic] = (c, op) => ActivationLowering.Lower(c, op, OpCode.Logistic),
        [TfLiteOps.Tanh] = (c, op) => ActivationLowering.Lower(c, op, OpCode.Tanh),
        [TfLiteOps.Quantize] = QuantizeLowering.LowerQuantize,
        [TfLiteOps.Dequantize] = QuantizeLowering.LowerDequantize,
        [TfLiteOps.Svdf] = SvdfLowering.Lower,
        [TfLiteOps.UnidirectionalSequenceLstm] = LstmLowering.Lower,
    };

    /// <summary>Lowers a parsed model; the arena is not planned yet.</summary>
    public static EmmGraph Lower(TfLiteModel model, string name)
    {
        var context = new LoweringContext(model, name);
        foreach (int t in model.Inputs)
        {
            context.Graph.Inputs.Add(context.Map(t));
        }

        foreach (TfOperator op in model.Operators)
        {
            if (op.CustomCode != null)
            {
                throw Unsupported(op, $"custom op '{op.CustomCode}'");
            }

            if (!OpTable.TryGetValue(op.BuiltinCode, out var lower))
            {
                throw Unsupported(op, "this op");
            }

            lower(context, op);
        }

        foreach (int t in model.Outputs)
        {
            context.Graph.Outputs.Add(context.Map(t));
        }

        CheckWritesGoToArena(context.Graph);
        return context.Graph;
    }

    /// <summary>Model inputs, outputs and every op output must be activations, never constants.</summary>
    private static void CheckWritesGoToArena(EmmGraph graph)
    {
        foreach (int t in graph.Inputs.Concat(graph.Outputs).Concat(graph.Ops.SelectMany(o => o.Outputs)))
        {
            if (graph.Tensors[t].IsConstant)
            {
                throw new ConverterException($"tensor '{graph.Tensors[t].Name}' is constant but is written by an op or is a model input/output");
            }
        }
    }
}
