using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Converter.Lowering;

/// <summary>A tensor of the lowered graph, before it is written as an .emm tensor record.</summary>
public sealed class EmmTensor
{
    public required string Name { get; init; }

    /// <summary>An <see cref="ElementType"/> value.</summary>
    public required int Type { get; init; }

    public required int[] Shape { get; init; }

    /// <summary>Constant data (flash), or null for a tensor in the arena.</summary>
    public byte[]? ConstantData { get; init; }

    public int ZeroPoint { get; init; }

    public float Scale { get; init; }

    /// <summary>Index of the tensor whose arena buffer this one shares (RESHAPE), or -1.</summary>
    public int AliasOf { get; set; } = -1;

    /// <summary>Arena offset, set by the planner (arena tensors only).</summary>
    public int ArenaOffset { get; set; }

    /// <summary>
    /// Persistent state (a TFLite variable tensor, SVDF's activation state): kept in the arena for the
    /// whole run and between inferences, never shared with another tensor.
    /// </summary>
    public bool IsState { get; init; }

    /// <summary>True for constant (flash) data.</summary>
    public bool IsConstant => ConstantData != null;

    /// <summary>Elements times element size.</summary>
    public int ByteSize => checked((int)(Shape.Aggregate(1L, (a, d) => a * d) * ElementType.SizeOf(Type)));
}

/// <summary>A constant int32 array an op parameter points to (multipliers, shifts, folded bias).</summary>
public sealed record ConstArray(int ParamIndex, int[] Values);

/// <summary>An op of the lowered graph: the .emm op code, tensor indices, precomputed parameters.</summary>
public sealed class EmmOp
{
    public required int Code { get; init; }
    public required int[] Inputs { get; init; }
    public required int[] Outputs { get; init; }
    public required int[] Params { get; init; }
    public List<ConstArray> Arrays { get; } = [];

    /// <summary>Index of the TFLite operator this came from.</summary>
    public int SourceIndex { get; init; }

    /// <summary>Multiply-accumulates per inference (conv, depthwise, fully connected; 0 otherwise).</summary>
    public long Macs { get; init; }

    public string Name => OpCode.Name(Code);
}

/// <summary>The lowered model: what the .emm writer serializes.</summary>
public sealed class EmmGraph
{
    public required string Name { get; init; }
    public List<EmmTensor> Tensors { get; } = [];
    public List<EmmOp> Ops { get; } = [];
    public List<int> Inputs { get; } = [];
    public List<int> Outputs { get; } = [];

    /// <summary>The front end the model needs (EmmFormat.FrontEnd*), written to the header flags.</summary>
    public int FrontEnd { get; set; }

    /// <summary>Arena bytes chosen by the planner.</summary>
    public int ArenaBytes { get; set; }

    /// <summary>The largest sum of simultaneously live arena bytes: no plan can use less.</summary>
    public int ArenaLowerBound { get; set; }
}
