using Edge.Micro.Converter.Planning;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Host.Inspection;

/// <summary>A tensor as shown by inspect and convert --json.</summary>
public sealed record TensorInfo(int Index, string Name, string Type, int[] Shape, float Scale, int ZeroPoint, string Storage, int Offset, int Bytes);

/// <summary>An op as shown by inspect and convert --json.</summary>
public sealed record OpInfo(int Index, string Op, int[] Inputs, int[] Outputs, long Macs, IReadOnlyList<KeyValuePair<string, int>> Params);

/// <summary>Everything inspect, convert and the console's `model` command show about a model, read from the .emm itself.</summary>
public sealed record ModelSummary(
    string Name, int ModelBytes, int ArenaBytes, int ArenaLowerBound, long TotalMacs, int DecodedTableBytes,
    IReadOnlyList<TensorInfo> Tensors, IReadOnlyList<OpInfo> Ops, IReadOnlyList<int> Inputs, IReadOnlyList<int> Outputs,
    IReadOnlyList<ArenaPlanner.Buffer> Buffers)
{
    /// <summary>Summarizes a loaded model; the arena lifetimes are recomputed from the op records.</summary>
    public static ModelSummary From(Model m)
    {
        var tensors = new List<TensorInfo>();
        for (int t = 0; t < m.TensorCount; t++)
        {
            tensors.Add(new TensorInfo(t, m.TensorName(t), ElementType.Name(m.TensorType(t)), Shape(m, t), m.Scale(t), m.ZeroPoint(t),
                m.IsConstant(t) ? "flash" : m.IsState(t) ? "state" : "arena", m.DataOffset(t), m.ByteSize(t)));
        }

        var ops = new List<OpInfo>();
        for (int op = 0; op < m.OpCount; op++)
        {
            ops.Add(new OpInfo(op, OpCode.Name(m.Op(op)),
                Enumerable.Range(0, m.OpInputCount(op)).Select(i => m.OpInput(op, i)).ToArray(),
                Enumerable.Range(0, m.OpOutputCount(op)).Select(i => m.OpOutput(op, i)).ToArray(),
                Macs(m, op), ParamNames(m, op)));
        }

        List<ArenaPlanner.Buffer> buffers = PlanFromModel(m);
        Model fromFlash = m.Reader != null ? m : new Model(new ByteArrayModelReader(m.Bytes));
        return new ModelSummary(m.Name, m.Length, m.ArenaBytes, ArenaPlanner.LowerBound(buffers, m.OpCount), ops.Sum(o => o.Macs), m.DecodedTableBytes,
            tensors, ops,
            Enumerable.Range(0, m.InputCount).Select(m.InputTensor).ToArray(),
            Enumerable.Range(0, m.OutputCount).Select(m.OutputTensor).ToArray(), buffers)
        {
            FlashTableBytes = fromFlash.TableBytes,
            ConstantWindowBytes = fromFlash.ConstantWindowBytes,
        };
    }

    /// <summary>Bytes of the file before its constants: what a model left in flash keeps in RAM besides its decoded tables.</summary>
    public int FlashTableBytes { get; init; }

    /// <summary>The constant window the managed kernels need when the model is left in flash: its largest op's constants.</summary>
    public int ConstantWindowBytes { get; init; }

    /// <summary>The shape of a tensor.</summary>
    public static int[] Shape(Model m, int t) => Enumerable.Range(0, m.Rank(t)).Select(i => m.Dim(t, i)).ToArray();

    /// <summary>Multiply-accumulates of an op (conv, depthwise conv, fully connected).</summary>
    public static long Macs(Model m, int op) => m.Macs(op);

    private static IReadOnlyList<KeyValuePair<string, int>> ParamNames(Model m, int op)
    {
        string[] names = m.Op(op) switch
        {
            OpCode.Conv2D or OpCode.DepthwiseConv2D =>
                ["strideW", "strideH", "dilationW", "dilationH", "padW", "padH", "inputOffset", "outputOffset", "actMin", "actMax", "depthMultiplier", "multipliers@", "shifts@", "bias@", "biasFolded"],
            OpCode.FullyConnected => ["inputOffset", "outputOffset", "actMin", "actMax", "multipliers@", "shifts@", "multiplierCount", "bias@", "biasFolded"],
            OpCode.AveragePool2D or OpCode.MaxPool2D => ["strideW", "strideH", "filterW", "filterH", "padW", "padH", "actMin", "actMax"],
            OpCode.Softmax => ["inputMultiplier", "inputLeftShift", "diffMin"],
            OpCode.Add => ["leftShift", "input1Offset", "input1Multiplier", "input1Shift", "input2Offset", "input2Multiplier", "input2Shift", "outputOffset", "outputMultiplier", "outputShift", "actMin", "actMax"],
            OpCode.Mean => ["inputOffset", "outputOffset", "multiplier", "shift"],
            OpCode.Logistic or OpCode.Tanh => ["inputZeroPoint", "inputMultiplier", "inputLeftShift", "inputRangeRadius"],
            OpCode.Quantize => ["outputZeroPoint", "outputScaleBits", "inputZeroPoint", "multiplier", "shift"],
            OpCode.Dequantize => ["zeroPoint", "scaleBits"],
            OpCode.Conv2DS16 or OpCode.DepthwiseConv2DS16 =>
                ["strideW", "strideH", "dilationW", "dilationH", "padW", "padH", "actMin", "actMax", "depthMultiplier", "multipliers@", "shifts@", "bias@", "accumulatorBits"],
            OpCode.SoftmaxS16 => ["inputMultiplier", "inputShift", "expTable@", "reciprocalTable@"],
            OpCode.LogisticS16 or OpCode.TanhS16 => ["inputMultiplier", "inputLeftShift", "sigmoidTable@"],
            OpCode.UnidirectionalSequenceLstm =>
                ["timeMajor", "inputMultiplierI", "inputMultiplierF", "inputMultiplierC", "inputMultiplierO", "inputShiftI", "inputShiftF", "inputShiftC", "inputShiftO",
                 "recurrentMultiplierI", "recurrentMultiplierF", "recurrentMultiplierC", "recurrentMultiplierO", "recurrentShiftI", "recurrentShiftF", "recurrentShiftC", "recurrentShiftO",
                 "forgetMultiplier", "forgetShift", "inputGateMultiplier", "inputGateShift", "hiddenMultiplier", "hiddenShift", "hiddenZeroPoint", "cellClip",
                 "tanhCellMultiplier", "tanhCellShift", "sigmoidTable@", "inputBias@", "recurrentBias@"],
            OpCode.FullyConnectedS16 => ["actMin", "actMax", "multipliers@", "shifts@", "multiplierCount", "bias@", "accumulatorBits"],
            OpCode.Svdf => ["rank", "stateZeroPoint", "outputZeroPoint", "featureMultiplier", "featureShift", "outputMultiplier", "outputShift", "featureOffsets@", "bias@"],
            _ => [],
        };
        return Enumerable.Range(0, m.ParamCount(op))
            .Select(i => new KeyValuePair<string, int>(i < names.Length ? names[i] : $"p{i}", m.Param(op, i)))
            .ToArray();
    }

    /// <summary>Arena buffers and lifetimes as the planner saw them, rebuilt from the .emm (RESHAPE outputs join their input's buffer).</summary>
    private static List<ArenaPlanner.Buffer> PlanFromModel(Model m)
    {
        var root = Enumerable.Range(0, m.TensorCount).ToArray();
        for (int op = 0; op < m.OpCount; op++)
        {
            if (m.Op(op) == OpCode.Reshape)
            {
                root[m.OpOutput(op, 0)] = root[m.OpInput(op, 0)];
            }
        }

        List<ArenaPlanner.Buffer> buffers = ArenaPlanner.Lifetimes(
            m.OpCount,
            op => Enumerable.Range(0, m.OpInputCount(op)).Select(i => m.OpInput(op, i)).Concat(Enumerable.Range(0, m.OpOutputCount(op)).Select(i => m.OpOutput(op, i))),
            Enumerable.Range(0, m.InputCount).Select(m.InputTensor),
            Enumerable.Range(0, m.OutputCount).Select(m.OutputTensor),
            m.IsState,
            m.IsConstant,
            t => root[t],
            m.ByteSize);
        foreach (ArenaPlanner.Buffer b in buffers)
        {
            b.Offset = m.DataOffset(b.Root);
        }

        return buffers;
    }
}
