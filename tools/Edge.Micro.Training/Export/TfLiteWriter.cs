using Edge.Micro.Training.Quantization;
using Google.FlatBuffers;

namespace Edge.Micro.Training.Export;

/// <summary>
/// Writes a <see cref="QuantizedNetwork"/> as a TFLite flatbuffer (schema version 3, file identifier "TFL3")
/// with the Google.FlatBuffers builder: one subgraph, the network's operators (CONV_2D and DEPTHWISE_CONV_2D
/// with SAME padding and fused ReLU, AVERAGE_POOL_2D, FULLY_CONNECTED), then SOFTMAX; int8 activations,
/// per-channel convolution weights, int32 biases. Field numbers follow tensorflow/lite/schema/schema.fbs.
/// </summary>
public static class TfLiteWriter
{
    // Builtin operator codes and option-union types of schema.fbs.
    private const int OpAveragePool2D = 1, OpConv2D = 3, OpDepthwiseConv2D = 4, OpFullyConnected = 9, OpSoftmax = 25;
    private const byte OptionsConv2D = 1, OptionsDepthwiseConv2D = 2, OptionsPool2D = 5, OptionsFullyConnected = 8, OptionsSoftmax = 9;
    private const sbyte TypeInt32 = 2, TypeInt8 = 9;
    private const sbyte PaddingSame = 0, PaddingValid = 1, ActivationNone = 0, ActivationRelu = 1;
    private const int SchemaVersion = 3;
    private const int BufferAlignment = 16;

    private sealed record TensorSpec(string Name, sbyte Type, int[] Shape, int Buffer, QuantParams Quant);

    private sealed record OperatorSpec(int Code, int Version, int[] Inputs, int[] Outputs, byte OptionsType, Func<FlatBufferBuilder, int> Options);

    /// <summary>The .tflite bytes of the network.</summary>
    public static byte[] Write(QuantizedNetwork network)
    {
        var tensors = new List<TensorSpec> { new("input", TypeInt8, network.InputShape, 0, network.Input) };
        var constants = new List<byte[]>();
        var operators = new List<OperatorSpec>();
        int current = 0;
        foreach (QuantizedOp op in network.Ops)
        {
            var inputs = new List<int> { current };
            if (op.Weights != null)
            {
                constants.Add((byte[])(Array)op.Weights);
                inputs.Add(tensors.Count);
                tensors.Add(new TensorSpec(op.Name + "/weights", TypeInt8, op.WeightShape!, constants.Count, op.WeightQuant!));
                constants.Add(IntBytes(op.Bias!));
                inputs.Add(tensors.Count);
                tensors.Add(new TensorSpec(op.Name + "/bias", TypeInt32, [op.Bias!.Length], constants.Count, op.BiasQuant!));
            }

            int output = tensors.Count;
            tensors.Add(new TensorSpec(op.Name, TypeInt8, op.OutputShape, 0, op.Output));
            operators.Add(Operator(op, [.. inputs], [output]));
            current = output;
        }

        int probabilities = tensors.Count;
        tensors.Add(new TensorSpec("probabilities", TypeInt8, network.Ops[^1].OutputShape, 0, QuantizedNetwork.Probabilities));
        operators.Add(new OperatorSpec(OpSoftmax, 2, [current], [probabilities], OptionsSoftmax, b => Table(b, 1, () => b.AddFloat(0, 1f, 0f))));

        var builder = new FlatBufferBuilder(64 * 1024);
        return Build(builder, network.Description, tensors, constants, operators, probabilities);
    }

    private static OperatorSpec Operator(QuantizedOp op, int[] inputs, int[] outputs)
    {
        sbyte activation = op.Relu ? ActivationRelu : ActivationNone;
        return op.Kind switch
        {
            QuantizedOpKind.Conv2D => new OperatorSpec(OpConv2D, 3, inputs, outputs, OptionsConv2D, b => Table(b, 6, () =>
            {
                b.AddSbyte(0, PaddingSame, -1);
                b.AddInt(1, op.Stride, 0);
                b.AddInt(2, op.Stride, 0);
                b.AddSbyte(3, activation, -1);
                b.AddInt(4, 1, 0);
                b.AddInt(5, 1, 0);
            })),
            QuantizedOpKind.DepthwiseConv2D => new OperatorSpec(OpDepthwiseConv2D, 3, inputs, outputs, OptionsDepthwiseConv2D, b => Table(b, 7, () =>
            {
                b.AddSbyte(0, PaddingSame, -1);
                b.AddInt(1, op.Stride, 0);
                b.AddInt(2, op.Stride, 0);
                b.AddInt(3, 1, 0);
                b.AddSbyte(4, activation, -1);
                b.AddInt(5, 1, 0);
                b.AddInt(6, 1, 0);
            })),
            QuantizedOpKind.AveragePool2D => new OperatorSpec(OpAveragePool2D, 2, inputs, outputs, OptionsPool2D, b => Table(b, 6, () =>
            {
                b.AddSbyte(0, PaddingValid, -1);
                b.AddInt(1, op.Stride, 0);
                b.AddInt(2, op.Stride, 0);
                b.AddInt(3, op.FilterWidth, 0);
                b.AddInt(4, op.FilterHeight, 0);
                b.AddSbyte(5, activation, -1);
            })),
            QuantizedOpKind.FullyConnected => new OperatorSpec(OpFullyConnected, 4, inputs, outputs, OptionsFullyConnected,
                b => Table(b, 4, () => b.AddSbyte(0, activation, -1))),
            _ => throw new NotSupportedException($"cannot write a {op.Kind} operator"),
        };
    }

    private static byte[] Build(FlatBufferBuilder b, string descriptionText, List<TensorSpec> tensors, List<byte[]> constants,
        List<OperatorSpec> operators, int output)
    {
        // Buffers: 0 is the empty sentinel, then one per constant.
        var bufferOffsets = new int[constants.Count + 1];
        bufferOffsets[0] = Table(b, 0, () => { });
        for (int i = 0; i < constants.Count; i++)
        {
            int data = ByteVector(b, constants[i]);
            bufferOffsets[i + 1] = Table(b, 3, () => b.AddOffset(0, data, 0));
        }

        int[] tensorOffsets = tensors.Select(t => Tensor(b, t)).ToArray();
        int[] codes = operators.Select(o => o.Code).Distinct().ToArray();
        int[] operatorOffsets = operators.Select(o =>
        {
            int options = o.Options(b);
            int inputVector = IntVector(b, o.Inputs);
            int outputVector = IntVector(b, o.Outputs);
            return Table(b, 5, () =>
            {
                b.AddUint(0, (uint)Array.IndexOf(codes, o.Code), 0);
                b.AddOffset(1, inputVector, 0);
                b.AddOffset(2, outputVector, 0);
                b.AddByte(3, o.OptionsType, 0);
                b.AddOffset(4, options, 0);
            });
        }).ToArray();

        int tensorVector = OffsetVector(b, tensorOffsets);
        int inputs = IntVector(b, [0]);
        int outputs = IntVector(b, [output]);
        int operatorVector = OffsetVector(b, operatorOffsets);
        int graphName = b.CreateString("main").Value;
        int subgraph = Table(b, 5, () =>
        {
            b.AddOffset(0, tensorVector, 0);
            b.AddOffset(1, inputs, 0);
            b.AddOffset(2, outputs, 0);
            b.AddOffset(3, operatorVector, 0);
            b.AddOffset(4, graphName, 0);
        });

        int codeVector = OffsetVector(b, codes.Select(c => OperatorCode(b, c, operators.First(o => o.Code == c).Version)).ToArray());
        int subgraphVector = OffsetVector(b, [subgraph]);
        int description = b.CreateString(descriptionText).Value;
        int bufferVector = OffsetVector(b, bufferOffsets);
        int model = Table(b, 5, () =>
        {
            b.AddUint(0, SchemaVersion, 0);
            b.AddOffset(1, codeVector, 0);
            b.AddOffset(2, subgraphVector, 0);
            b.AddOffset(3, description, 0);
            b.AddOffset(4, bufferVector, 0);
        });
        b.Finish(model, "TFL3");
        return b.SizedByteArray();
    }

    private static int Tensor(FlatBufferBuilder b, TensorSpec t)
    {
        int shape = IntVector(b, t.Shape);
        int name = b.CreateString(t.Name).Value;
        int scales = FloatVector(b, t.Quant.Scales);
        int zeroPoints = LongVector(b, t.Quant.ZeroPoints);
        int quant = Table(b, 7, () =>
        {
            b.AddOffset(2, scales, 0);
            b.AddOffset(3, zeroPoints, 0);
            b.AddInt(6, t.Quant.QuantizedDimension, 0);
        });
        return Table(b, 5, () =>
        {
            b.AddOffset(0, shape, 0);
            b.AddSbyte(1, t.Type, 0);
            b.AddUint(2, (uint)t.Buffer, 0);
            b.AddOffset(3, name, 0);
            b.AddOffset(4, quant, 0);
        });
    }

    // deprecated_builtin_code (byte) and builtin_code (int) both carry the code, as current converters write it.
    private static int OperatorCode(FlatBufferBuilder b, int code, int version) => Table(b, 4, () =>
    {
        b.AddSbyte(0, (sbyte)code, 0);
        b.AddInt(2, version, 1);
        b.AddInt(3, code, 0);
    });

    private static int Table(FlatBufferBuilder b, int fields, Action addFields)
    {
        b.StartTable(fields);
        addFields();
        return b.EndTable();
    }

    // A flatbuffer vector is written back to front: StartVector, the elements last to first, EndVector.
    private static int Vector<T>(FlatBufferBuilder b, T[] values, int elementSize, int alignment, Action<T> add)
    {
        b.StartVector(elementSize, values.Length, alignment);
        for (int i = values.Length - 1; i >= 0; i--)
        {
            add(values[i]);
        }

        return b.EndVector().Value;
    }

    private static int ByteVector(FlatBufferBuilder b, byte[] data) => Vector(b, data, 1, BufferAlignment, b.AddByte);

    private static int IntVector(FlatBufferBuilder b, int[] values) => Vector(b, values, 4, 4, b.AddInt);

    private static int FloatVector(FlatBufferBuilder b, float[] values) => Vector(b, values, 4, 4, b.AddFloat);

    private static int LongVector(FlatBufferBuilder b, long[] values) => Vector(b, values, 8, 8, b.AddLong);

    private static int OffsetVector(FlatBufferBuilder b, int[] offsets) => Vector(b, offsets, 4, 4, b.AddOffset);

    private static byte[] IntBytes(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return bytes;
    }
}
