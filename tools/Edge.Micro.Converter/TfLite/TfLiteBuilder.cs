using Google.FlatBuffers;

namespace Edge.Micro.Converter.TfLite;

/// <summary>
/// Writes a one-subgraph TFLite flatbuffer (schema version 3, file identifier "TFL3") from tensors, constant
/// buffers and operators, with the Google.FlatBuffers builder. Field numbers follow
/// tensorflow/lite/schema/schema.fbs. Used by the trainer's exporter and by tests that need a model with an
/// op no corpus model has (SVDF).
/// </summary>
public sealed class TfLiteBuilder
{
    /// <summary>Schema TensorType values used by the writers.</summary>
    public const sbyte TypeFloat32 = 0, TypeInt32 = 2, TypeInt16 = 7, TypeInt8 = 9;

    /// <summary>Schema Padding and ActivationFunctionType values.</summary>
    public const sbyte PaddingSame = 0, PaddingValid = 1, ActivationNone = 0, ActivationRelu = 1;

    private const int SchemaVersion = 3;
    private const int BufferAlignment = 16;

    private sealed record TensorSpec(string Name, sbyte Type, int[] Shape, int Buffer, float[] Scales, long[] ZeroPoints, int QuantizedDimension, bool IsVariable);

    private sealed record OperatorSpec(int Code, int Version, int[] Inputs, int[] Outputs, byte OptionsType, Func<FlatBufferBuilder, int>? Options);

    private readonly List<TensorSpec> _tensors = [];
    private readonly List<byte[]> _constants = [];
    private readonly List<OperatorSpec> _operators = [];

    /// <summary>Adds a tensor; <paramref name="data"/> null for an activation. Returns its index.</summary>
    public int AddTensor(string name, sbyte type, int[] shape, byte[]? data, float[] scales, long[] zeroPoints,
        int quantizedDimension = 0, bool isVariable = false)
    {
        int buffer = 0;
        if (data != null)
        {
            _constants.Add(data);
            buffer = _constants.Count;
        }

        _tensors.Add(new TensorSpec(name, type, shape, buffer, scales, zeroPoints, quantizedDimension, isVariable));
        return _tensors.Count - 1;
    }

    /// <summary>
    /// Adds an operator (-1 in <paramref name="inputs"/> for an absent optional input). <paramref name="options"/>
    /// writes the builtin options table of union type <paramref name="optionsType"/>, or is null.
    /// </summary>
    public void AddOperator(int code, int version, int[] inputs, int[] outputs, byte optionsType, Func<FlatBufferBuilder, int>? options) =>
        _operators.Add(new OperatorSpec(code, version, inputs, outputs, optionsType, options));

    /// <summary>The .tflite bytes: one subgraph named "main" with the given inputs and outputs.</summary>
    public byte[] Build(string descriptionText, int[] graphInputs, int[] graphOutputs)
    {
        var b = new FlatBufferBuilder(64 * 1024);

        // Buffers: 0 is the empty sentinel, then one per constant.
        var bufferOffsets = new int[_constants.Count + 1];
        bufferOffsets[0] = Table(b, 0, () => { });
        for (int i = 0; i < _constants.Count; i++)
        {
            int data = ByteVector(b, _constants[i]);
            bufferOffsets[i + 1] = Table(b, 3, () => b.AddOffset(0, data, 0));
        }

        int[] tensorOffsets = _tensors.Select(t => Tensor(b, t)).ToArray();
        int[] codes = _operators.Select(o => o.Code).Distinct().ToArray();
        int[] operatorOffsets = _operators.Select(o =>
        {
            int options = o.Options?.Invoke(b) ?? 0;
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
        int inputs = IntVector(b, graphInputs);
        int outputs = IntVector(b, graphOutputs);
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

        int codeVector = OffsetVector(b, codes.Select(c => OperatorCode(b, c, _operators.First(o => o.Code == c).Version)).ToArray());
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

    /// <summary>A table with the fields <paramref name="addFields"/> adds.</summary>
    public static int Table(FlatBufferBuilder b, int fields, Action addFields)
    {
        b.StartTable(fields);
        addFields();
        return b.EndTable();
    }

    /// <summary>Little-endian bytes of int32 values (bias buffers).</summary>
    public static byte[] IntBytes(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return bytes;
    }

    private static int Tensor(FlatBufferBuilder b, TensorSpec t)
    {
        int shape = IntVector(b, t.Shape);
        int name = b.CreateString(t.Name).Value;
        int scales = FloatVector(b, t.Scales);
        int zeroPoints = LongVector(b, t.ZeroPoints);
        int quant = Table(b, 7, () =>
        {
            b.AddOffset(2, scales, 0);
            b.AddOffset(3, zeroPoints, 0);
            b.AddInt(6, t.QuantizedDimension, 0);
        });
        return Table(b, 6, () =>
        {
            b.AddOffset(0, shape, 0);
            b.AddSbyte(1, t.Type, 0);
            b.AddUint(2, (uint)t.Buffer, 0);
            b.AddOffset(3, name, 0);
            b.AddOffset(4, quant, 0);
            b.AddBool(5, t.IsVariable, false);
        });
    }

    // deprecated_builtin_code (byte) and builtin_code (int) both carry the code, as current converters write it.
    private static int OperatorCode(FlatBufferBuilder b, int code, int version) => Table(b, 4, () =>
    {
        b.AddSbyte(0, (sbyte)Math.Min(code, 127), 0);
        b.AddInt(2, version, 1);
        b.AddInt(3, code, 0);
    });

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
}
