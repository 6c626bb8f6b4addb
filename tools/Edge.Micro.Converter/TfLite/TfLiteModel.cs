namespace Edge.Micro.Converter.TfLite;

/// <summary>TFLite tensor element types (schema.fbs TensorType).</summary>
public enum TfLiteType
{
    Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int64 = 4, String = 5, Bool = 6, Int16 = 7,
    Complex64 = 8, Int8 = 9, Float64 = 10, Complex128 = 11, UInt64 = 12, Resource = 13, Variant = 14, UInt32 = 15,
    UInt16 = 16, Int4 = 17, BFloat16 = 18,
}

/// <summary>The TFLite builtin operators the converter knows by name (schema.fbs BuiltinOperator).</summary>
public static class TfLiteOps
{
    public const int Add = 0;
    public const int AveragePool2D = 1;
    public const int Conv2D = 3;
    public const int DepthwiseConv2D = 4;
    public const int Dequantize = 6;
    public const int FullyConnected = 9;
    public const int Logistic = 14;
    public const int MaxPool2D = 17;
    public const int Reshape = 22;
    public const int Softmax = 25;
    public const int Svdf = 27;
    public const int Tanh = 28;
    public const int Mean = 40;
    public const int Squeeze = 43;
    public const int UnidirectionalSequenceLstm = 44;
    public const int Quantize = 114;

    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "ADD", [1] = "AVERAGE_POOL_2D", [2] = "CONCATENATION", [3] = "CONV_2D", [4] = "DEPTHWISE_CONV_2D",
        [6] = "DEQUANTIZE", [9] = "FULLY_CONNECTED", [14] = "LOGISTIC", [16] = "LSTM", [17] = "MAX_POOL_2D",
        [18] = "MUL", [19] = "RELU", [21] = "RELU6", [22] = "RESHAPE", [25] = "SOFTMAX", [27] = "SVDF", [28] = "TANH",
        [34] = "PAD", [40] = "MEAN", [41] = "SUB", [42] = "DIV", [43] = "SQUEEZE", [44] = "UNIDIRECTIONAL_SEQUENCE_LSTM",
        [45] = "STRIDED_SLICE", [53] = "CAST", [55] = "MAXIMUM", [57] = "MINIMUM", [114] = "QUANTIZE",
    };

    /// <summary>Upper-case schema name of a builtin code.</summary>
    public static string Name(int code) => Names.TryGetValue(code, out var n) ? n : $"BUILTIN_{code}";
}

/// <summary>A tensor of the .tflite graph.</summary>
public sealed record TfTensor(
    int Index, string Name, TfLiteType Type, int[] Shape, byte[]? Data, float[] Scales, long[] ZeroPoints,
    int QuantizedDimension, bool IsVariable)
{
    /// <summary>Per-tensor scale (the first), 0 when unquantized.</summary>
    public float Scale => Scales.Length > 0 ? Scales[0] : 0f;

    /// <summary>Per-tensor zero point (the first), 0 when unquantized.</summary>
    public int ZeroPoint => ZeroPoints.Length > 0 ? (int)ZeroPoints[0] : 0;

    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>An operator of the .tflite graph; <see cref="Options"/> is its builtin options table if any.</summary>
public sealed record TfOperator(int Index, int BuiltinCode, string? CustomCode, int[] Inputs, int[] Outputs, FlatTable? Options)
{
    /// <summary>Schema name of the op.</summary>
    public string Name => CustomCode ?? TfLiteOps.Name(BuiltinCode);
}

/// <summary>The first subgraph of a .tflite model, decoded with every reference checked.</summary>
public sealed class TfLiteModel
{
    /// <summary>Largest .tflite accepted: keyword models are tens of kilobytes.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    private TfLiteModel(string description, IReadOnlyList<TfTensor> tensors, IReadOnlyList<TfOperator> ops, int[] inputs, int[] outputs)
    {
        Description = description;
        Tensors = tensors;
        Operators = ops;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string Description { get; }
    public IReadOnlyList<TfTensor> Tensors { get; }
    public IReadOnlyList<TfOperator> Operators { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }

    /// <summary>True when the bytes carry the TFLite file identifier "TFL3" at offset 4.</summary>
    public static bool LooksLikeTfLite(byte[] bytes) =>
        bytes.Length >= 8 && bytes[4] == (byte)'T' && bytes[5] == (byte)'F' && bytes[6] == (byte)'L' && bytes[7] == (byte)'3';

    /// <summary>Parses a .tflite file; throws <see cref="ConverterException"/> on anything malformed.</summary>
    public static TfLiteModel Parse(byte[] bytes)
    {
        if (bytes.Length > MaxFileBytes)
        {
            throw new ConverterException($"model is {bytes.Length} bytes; the limit is {MaxFileBytes}");
        }

        if (!LooksLikeTfLite(bytes))
        {
            throw new ConverterException("not a TFLite model: the file identifier 'TFL3' is missing");
        }

        var reader = new FlatReader(bytes);
        FlatTable model = reader.Root();
        uint version = model.GetUInt(0);
        if (version != 3)
        {
            throw new ConverterException($"unsupported TFLite schema version {version} (expected 3)");
        }

        FlatTable[] codes = model.GetTableVector(1, "operator_codes");
        FlatTable[] subgraphs = model.GetTableVector(2, "subgraphs");
        FlatTable[] buffers = model.GetTableVector(4, "buffers");
        if (subgraphs.Length == 0)
        {
            throw new ConverterException("corrupt .tflite: no subgraph");
        }

        if (subgraphs.Length > 1)
        {
            throw new ConverterException($"the model has {subgraphs.Length} subgraphs; only single-subgraph models (no control flow) are supported");
        }

        FlatTable graph = subgraphs[0];
        FlatTable[] tensorTables = graph.GetTableVector(0, "tensors");
        var tensors = new List<TfTensor>(tensorTables.Length);
        for (int i = 0; i < tensorTables.Length; i++)
        {
            tensors.Add(ReadTensor(reader, i, tensorTables[i], buffers));
        }

        FlatTable[] opTables = graph.GetTableVector(3, "operators");
        var ops = new List<TfOperator>(opTables.Length);
        for (int i = 0; i < opTables.Length; i++)
        {
            FlatTable op = opTables[i];
            uint opcodeIndex = op.GetUInt(0);
            if (opcodeIndex >= codes.Length)
            {
                throw new ConverterException($"corrupt .tflite: operator {i} uses opcode index {opcodeIndex} of {codes.Length}");
            }

            FlatTable code = codes[opcodeIndex];
            int builtin = System.Math.Max(code.GetByte(0), code.GetInt(3));
            string? custom = code.GetString(1);
            int[] inputs = op.GetIntVector(1, $"operator {i} inputs");
            int[] outputs = op.GetIntVector(2, $"operator {i} outputs");
            CheckIndices(inputs, tensors.Count, $"operator {i} inputs", allowOptional: true);
            CheckIndices(outputs, tensors.Count, $"operator {i} outputs", allowOptional: false);
            ops.Add(new TfOperator(i, builtin, custom, inputs, outputs, op.GetTable(4, $"operator {i} options")));
        }

        int[] graphInputs = graph.GetIntVector(1, "subgraph inputs");
        int[] graphOutputs = graph.GetIntVector(2, "subgraph outputs");
        CheckIndices(graphInputs, tensors.Count, "subgraph inputs", allowOptional: false);
        CheckIndices(graphOutputs, tensors.Count, "subgraph outputs", allowOptional: false);
        return new TfLiteModel(model.GetString(3) ?? "", tensors, ops, graphInputs, graphOutputs);
    }

    private static TfTensor ReadTensor(FlatReader reader, int index, FlatTable t, FlatTable[] buffers)
    {
        int[] shape = t.GetIntVector(0, $"tensor {index} shape");
        int type = t.GetByte(1);
        uint bufferIndex = t.GetUInt(2);
        string name = t.GetString(3) ?? $"tensor{index}";
        if (!Enum.IsDefined(typeof(TfLiteType), type))
        {
            throw new ConverterException($"tensor {index} '{name}' has unknown type {type}");
        }

        if (shape.Any(d => d < 0))
        {
            throw new ConverterException($"tensor {index} '{name}' has a dynamic or negative dimension; only static shapes are supported");
        }

        float[] scales = [];
        long[] zeroPoints = [];
        int quantizedDimension = 0;
        FlatTable? q = t.GetTable(4, $"tensor {index} quantization");
        if (q is FlatTable quant)
        {
            scales = quant.GetFloatVector(2, $"tensor {index} scales");
            zeroPoints = quant.GetLongVector(3, $"tensor {index} zero points");
            quantizedDimension = quant.GetInt(6);
        }

        byte[]? data = null;
        if (bufferIndex != 0)
        {
            if (bufferIndex >= buffers.Length)
            {
                throw new ConverterException($"corrupt .tflite: tensor {index} '{name}' uses buffer {bufferIndex} of {buffers.Length}");
            }

            data = ReadBuffer(reader, buffers[bufferIndex], index);
        }

        return new TfTensor(index, name, (TfLiteType)type, shape, data, scales, zeroPoints, quantizedDimension, t.GetBool(5));
    }

    private static byte[]? ReadBuffer(FlatReader reader, FlatTable buffer, int tensor)
    {
        (int start, int count) = buffer.Vector(0, 1, $"buffer of tensor {tensor}");
        if (start >= 0 && count > 0)
        {
            return reader.Bytes.AsSpan(start, count).ToArray();
        }

        ulong offset = buffer.GetULong(1);
        ulong size = buffer.GetULong(2);
        if (offset > 1)
        {
            // Large models keep buffers after the flatbuffer, addressed from the start of the file.
            reader.Require((long)System.Math.Min(offset, long.MaxValue / 2), (long)System.Math.Min(size, int.MaxValue), $"buffer of tensor {tensor}");
            return reader.Bytes.AsSpan((int)offset, (int)size).ToArray();
        }

        return null;
    }

    private static void CheckIndices(int[] indices, int count, string what, bool allowOptional)
    {
        foreach (int i in indices)
        {
            if (i >= count || (i < 0 && !(allowOptional && i == -1)))
            {
                throw new ConverterException($"corrupt .tflite: {what} refer to tensor {i} of {count}");
            }
        }
    }
}
