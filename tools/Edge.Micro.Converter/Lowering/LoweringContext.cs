using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using static Edge.Micro.Converter.Lowering.LoweringChecks;

namespace Edge.Micro.Converter.Lowering;

/// <summary>
/// What one model's lowering shares across its ops: the TFLite model, the .emm graph being built, and the map
/// from TFLite tensors to .emm tensors (each created on first use).
/// </summary>
internal sealed class LoweringContext
{
    private readonly TfLiteModel _model;
    private readonly Dictionary<int, int> _tensorMap = [];

    internal LoweringContext(TfLiteModel model, string name)
    {
        _model = model;
        Graph = new EmmGraph { Name = name };
    }

    /// <summary>The .emm graph being built.</summary>
    internal EmmGraph Graph { get; }

    internal TfTensor In(TfOperator op, int i)
    {
        if (i >= op.Inputs.Length || op.Inputs[i] < 0)
        {
            throw Invalid(op, $"input {i} is missing");
        }

        return _model.Tensors[op.Inputs[i]];
    }

    internal TfTensor? OptionalIn(TfOperator op, int i) =>
        i < op.Inputs.Length && op.Inputs[i] >= 0 ? _model.Tensors[op.Inputs[i]] : null;

    internal TfTensor Out(TfOperator op)
    {
        if (op.Outputs.Length != 1)
        {
            throw Invalid(op, $"expected one output, found {op.Outputs.Length}");
        }

        return _model.Tensors[op.Outputs[0]];
    }

    /// <summary>
    /// The .emm tensor for a TFLite tensor, created on first use. A variable (stateful) tensor is accepted
    /// only where an op asks for state (<paramref name="state"/>: SVDF's activation state, the LSTM's hidden and cell state).
    /// </summary>
    internal int Map(int tfIndex, bool state = false)
    {
        TfTensor t = _model.Tensors[tfIndex];
        if (t.IsVariable != state)
        {
            throw new ConverterException(state
                ? $"tensor {tfIndex} '{t.Name}' must be a variable (stateful) tensor: it is an op's persistent state (SVDF activation state, LSTM hidden or cell state)"
                : $"tensor {tfIndex} '{t.Name}' is a variable (stateful) tensor; only SVDF's activation state and the LSTM's hidden and cell state may be one");
        }

        if (_tensorMap.TryGetValue(tfIndex, out int existing))
        {
            return existing;
        }

        int type = t.Type switch
        {
            TfLiteType.Int8 => ElementType.Int8,
            TfLiteType.Int16 => ElementType.Int16,
            TfLiteType.Int32 => ElementType.Int32,
            TfLiteType.Float32 => ElementType.Float32,
            TfLiteType.UInt8 => ElementType.UInt8,
            _ => throw new ConverterException($"tensor {tfIndex} '{t.Name}' has type {t.Type}; supported: Int8, Int16, Int32, Float32, UInt8"),
        };
        if (t.Shape.Length > EmmFormat.MaxRank)
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' has rank {t.Shape.Length}; at most {EmmFormat.MaxRank} is supported");
        }

        if (t.Shape.Any(d => d == 0))
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' has an empty dimension");
        }

        long bytes = t.ElementCount * ElementType.SizeOf(type);
        if (bytes > int.MaxValue / 2 || (t.Data == null && bytes > EmmFormat.MaxArenaBytes))
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' needs {bytes} bytes; an activation may use at most {EmmFormat.MaxArenaBytes}");
        }

        var tensor = new EmmTensor
        {
            Name = t.Name,
            Type = type,
            Shape = t.Shape,
            ConstantData = state ? null : t.Data,
            IsState = state,
            ZeroPoint = t.ZeroPoint,
            Scale = t.Scale,
        };
        if (t.Data != null && !state && t.Data.Length != tensor.ByteSize)
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' holds {t.Data.Length} bytes of data, its shape needs {tensor.ByteSize}");
        }

        Graph.Tensors.Add(tensor);
        _tensorMap[tfIndex] = Graph.Tensors.Count - 1;
        return Graph.Tensors.Count - 1;
    }

    internal int MapArena(TfOperator op, TfTensor t, string role)
    {
        if (t.Data != null)
        {
            throw Unsupported(op, $"a constant {role} tensor '{t.Name}'");
        }

        return Map(t.Index);
    }

    internal int MapConstant(TfOperator op, TfTensor t, string role)
    {
        if (t.Data == null)
        {
            throw Unsupported(op, $"a non-constant {role} tensor '{t.Name}' (weights must be constant)");
        }

        return Map(t.Index);
    }

    internal void Add(EmmOp op) => Graph.Ops.Add(op);
}
