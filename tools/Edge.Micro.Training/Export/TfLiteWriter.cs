using Edge.Micro.Training.Quantization;
using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Training.Export;

/// <summary>
/// Writes a <see cref="QuantizedNetwork"/> as a TFLite flatbuffer through <see cref="TfLiteBuilder"/>: the
/// network's operators (CONV_2D and DEPTHWISE_CONV_2D with SAME padding and fused ReLU, AVERAGE_POOL_2D,
/// FULLY_CONNECTED), then SOFTMAX; int8 activations, per-channel convolution weights, int32 biases.
/// </summary>
public static class TfLiteWriter
{
    // Builtin operator codes and option-union types of schema.fbs.
    private const int OpAveragePool2D = 1, OpConv2D = 3, OpDepthwiseConv2D = 4, OpFullyConnected = 9, OpSoftmax = 25;
    private const byte OptionsConv2D = 1, OptionsDepthwiseConv2D = 2, OptionsPool2D = 5, OptionsFullyConnected = 8, OptionsSoftmax = 9;

    /// <summary>The .tflite bytes of the network.</summary>
    public static byte[] Write(QuantizedNetwork network)
    {
        var model = new TfLiteBuilder();
        int current = AddTensor(model, "input", TfLiteBuilder.TypeInt8, network.InputShape, null, network.Input);
        foreach (QuantizedOp op in network.Ops)
        {
            var inputs = new List<int> { current };
            if (op.Weights != null)
            {
                inputs.Add(AddTensor(model, op.Name + "/weights", TfLiteBuilder.TypeInt8, op.WeightShape!, (byte[])(Array)op.Weights, op.WeightQuant!));
                inputs.Add(AddTensor(model, op.Name + "/bias", TfLiteBuilder.TypeInt32, [op.Bias!.Length], TfLiteBuilder.IntBytes(op.Bias!), op.BiasQuant!));
            }

            int output = AddTensor(model, op.Name, TfLiteBuilder.TypeInt8, op.OutputShape, null, op.Output);
            AddOperator(model, op, [.. inputs], [output]);
            current = output;
        }

        int probabilities = AddTensor(model, "probabilities", TfLiteBuilder.TypeInt8, network.Ops[^1].OutputShape, null, QuantizedNetwork.Probabilities);
        model.AddOperator(OpSoftmax, 2, [current], [probabilities], OptionsSoftmax, b => TfLiteBuilder.Table(b, 1, () => b.AddFloat(0, 1f, 0f)));
        return model.Build(network.Description, [0], [probabilities]);
    }

    private static int AddTensor(TfLiteBuilder model, string name, sbyte type, int[] shape, byte[]? data, QuantParams quant) =>
        model.AddTensor(name, type, shape, data, quant.Scales, quant.ZeroPoints, quant.QuantizedDimension);

    private static void AddOperator(TfLiteBuilder model, QuantizedOp op, int[] inputs, int[] outputs)
    {
        sbyte activation = op.Relu ? TfLiteBuilder.ActivationRelu : TfLiteBuilder.ActivationNone;
        switch (op.Kind)
        {
            case QuantizedOpKind.Conv2D:
                model.AddOperator(OpConv2D, 3, inputs, outputs, OptionsConv2D, b => TfLiteBuilder.Table(b, 6, () =>
                {
                    b.AddSbyte(0, TfLiteBuilder.PaddingSame, -1);
                    b.AddInt(1, op.Stride, 0);
                    b.AddInt(2, op.Stride, 0);
                    b.AddSbyte(3, activation, -1);
                    b.AddInt(4, 1, 0);
                    b.AddInt(5, 1, 0);
                }));
                break;
            case QuantizedOpKind.DepthwiseConv2D:
                model.AddOperator(OpDepthwiseConv2D, 3, inputs, outputs, OptionsDepthwiseConv2D, b => TfLiteBuilder.Table(b, 7, () =>
                {
                    b.AddSbyte(0, TfLiteBuilder.PaddingSame, -1);
                    b.AddInt(1, op.Stride, 0);
                    b.AddInt(2, op.Stride, 0);
                    b.AddInt(3, 1, 0);
                    b.AddSbyte(4, activation, -1);
                    b.AddInt(5, 1, 0);
                    b.AddInt(6, 1, 0);
                }));
                break;
            case QuantizedOpKind.AveragePool2D:
                model.AddOperator(OpAveragePool2D, 2, inputs, outputs, OptionsPool2D, b => TfLiteBuilder.Table(b, 6, () =>
                {
                    b.AddSbyte(0, TfLiteBuilder.PaddingValid, -1);
                    b.AddInt(1, op.Stride, 0);
                    b.AddInt(2, op.Stride, 0);
                    b.AddInt(3, op.FilterWidth, 0);
                    b.AddInt(4, op.FilterHeight, 0);
                    b.AddSbyte(5, activation, -1);
                }));
                break;
            case QuantizedOpKind.FullyConnected:
                model.AddOperator(OpFullyConnected, 4, inputs, outputs, OptionsFullyConnected,
                    b => TfLiteBuilder.Table(b, 4, () => b.AddSbyte(0, activation, -1)));
                break;
            default:
                throw new NotSupportedException($"cannot write a {op.Kind} operator");
        }
    }
}
