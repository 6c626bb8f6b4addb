using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using static Edge.Micro.Converter.Lowering.LoweringChecks;
using static Edge.Micro.Converter.Lowering.Ops.MacOpSupport;

namespace Edge.Micro.Converter.Lowering.Ops;

/// <summary>
/// Lowers UNIDIRECTIONAL_SEQUENCE_LSTM in TFLM's integer 8x8->16 form (<see cref="LstmS8"/>), doing everything
/// TFLM prepares at start-up: the eight FC rescales to the gates' fixed 2^-12, the cell and hidden rescales, the
/// tanh(cell) call from the cell scale, the cell clip in cell units, and the zero points folded into biases.
/// TFLM's own limits are kept: no peephole, projection or layer-norm tensors, all four gates (no CIFG), int8
/// input, hidden state and output, int16 cell state with a power-of-two scale, TANH as the cell gate's activation.
/// </summary>
internal static class LstmLowering
{
    private const int GateCount = LstmS8.GateCount;
    private const int FirstInputWeights = 1, FirstRecurrentWeights = 5, FirstPeephole = 9, FirstBias = 12;
    private const int ProjectionWeights = 16, ProjectionBias = 17, HiddenState = 18, CellState = 19, FirstLayerNorm = 20;
    private const int TfLiteInputCount = 24;
    private const int ActivationTanh = 4;

    /// <summary>Gate pre-activations are int16 at 2^-12 whatever the tensors say; gate outputs at 2^-15.</summary>
    private const double GateInputScale = 1.0 / (1 << 12), GateOutputScale = 1.0 / (1 << 15);

    private static readonly string[] GateNames = ["input", "forget", "cell", "output"];

    internal static void Lower(LoweringContext context, TfOperator op)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        if (op.Inputs.Length != TfLiteInputCount)
        {
            throw Invalid(op, $"expected {TfLiteInputCount} inputs, found {op.Inputs.Length}");
        }

        foreach (int absent in new[] { FirstPeephole, FirstPeephole + 1, FirstPeephole + 2, ProjectionWeights, ProjectionBias, FirstLayerNorm, FirstLayerNorm + 1, FirstLayerNorm + 2, FirstLayerNorm + 3 })
        {
            if (context.OptionalIn(op, absent) != null)
            {
                throw Unsupported(op, "peephole, projection or layer-norm tensors (TFLM's integer LSTM refuses them too)");
            }
        }

        TfTensor input = context.In(op, 0), hidden = context.In(op, HiddenState), cell = context.In(op, CellState), output = context.Out(op);
        RequireType(op, input, "input", TfLiteType.Int8);
        RequireType(op, hidden, "hidden state", TfLiteType.Int8);
        RequireType(op, cell, "cell state", TfLiteType.Int16);
        RequireType(op, output, "output", TfLiteType.Int8);
        RequireRank(op, input, "input", 3);
        RequireRank(op, hidden, "hidden state", 2);
        RequireRank(op, cell, "cell state", 2);
        RequireRank(op, output, "output", 3);
        foreach (var (t, role) in new[] { (input, "input"), (hidden, "hidden state"), (cell, "cell state") })
        {
            RequireQuantized(op, t, role);
        }

        if (o.GetByte(0) != ActivationTanh)
        {
            throw Unsupported(op, $"fused activation {o.GetByte(0)} for the cell gate (TANH, what converters emit, is supported)");
        }

        if (o.GetFloat(2) != 0)
        {
            throw Unsupported(op, "a projection clip");
        }

        bool timeMajor = o.GetBool(3);
        int batches = input.Shape[timeMajor ? 1 : 0], steps = input.Shape[timeMajor ? 0 : 1], inputSize = input.Shape[2];
        int units = hidden.Shape[1];
        if (hidden.Shape[0] != batches || cell.Shape[0] != batches || cell.Shape[1] != units
            || output.Shape[0] != input.Shape[0] || output.Shape[1] != input.Shape[1] || output.Shape[2] != units)
        {
            throw Invalid(op, $"input [{string.Join(",", input.Shape)}], hidden state [{string.Join(",", hidden.Shape)}], cell state [{string.Join(",", cell.Shape)}] "
                + $"and output [{string.Join(",", output.Shape)}] do not fit ({(timeMajor ? "time" : "batch")}-major)");
        }

        if (cell.ZeroPoint != 0)
        {
            throw Unsupported(op, $"a cell state zero point of {cell.ZeroPoint} (TFLM requires 0)");
        }

        double cellLog2 = Math.Log2(cell.Scale);
        int cellPower = (int)Math.Round(cellLog2);
        if (Math.Abs(cellLog2 - cellPower) > 0.001)
        {
            throw Unsupported(op, $"a cell state scale of {cell.Scale}, not a power of two");
        }

        int[] p = new int[LstmS8.ParamCount];
        p[LstmS8.TimeMajor] = timeMajor ? 1 : 0;
        var inputBias = new int[GateCount * units];
        var recurrentBias = new int[GateCount * units];
        var weights = new int[2 * GateCount];
        for (int g = 0; g < GateCount; g++)
        {
            TfTensor w = context.In(op, FirstInputWeights + g), r = context.In(op, FirstRecurrentWeights + g), bias = context.In(op, FirstBias + g);
            string gate = GateNames[g];
            RequireWeights(op, w, $"input-to-{gate} weights", units, inputSize);
            RequireWeights(op, r, $"recurrent-to-{gate} weights", units, units);

            // Mapping checks that the data fills the shape, which the row sums below rely on.
            weights[g] = context.MapConstant(op, w, $"input-to-{gate} weights");
            weights[GateCount + g] = context.MapConstant(op, r, $"recurrent-to-{gate} weights");
            int[] biasValues = BiasValues(op, bias, units)!;
            (p[LstmS8.InputMultipliers + g], p[LstmS8.InputShifts + g]) = QuantizationMath.QuantizeMultiplier((double)input.Scale * w.Scale / GateInputScale);
            (p[LstmS8.RecurrentMultipliers + g], p[LstmS8.RecurrentShifts + g]) = QuantizationMath.QuantizeMultiplier((double)hidden.Scale * r.Scale / GateInputScale);
            for (int u = 0; u < units; u++)
            {
                // int32 wrap-around is what TFLM's accumulators do: folding is exact modulo 2^32.
                inputBias[g * units + u] = unchecked(biasValues[u] - (int)(input.ZeroPoint * Int8RowSum(w.Data!, u, inputSize)));
                recurrentBias[g * units + u] = unchecked((int)(-hidden.ZeroPoint * Int8RowSum(r.Data!, u, units)));
            }
        }

        (p[LstmS8.ForgetMultiplier], p[LstmS8.ForgetShift]) = QuantizationMath.QuantizeMultiplier(GateOutputScale);
        (p[LstmS8.InputGateMultiplier], p[LstmS8.InputGateShift]) = QuantizationMath.QuantizeMultiplier(GateOutputScale * GateOutputScale / cell.Scale);
        (p[LstmS8.HiddenMultiplier], p[LstmS8.HiddenShift]) = QuantizationMath.QuantizeMultiplier(GateOutputScale * GateOutputScale / hidden.Scale);
        p[LstmS8.HiddenZeroPoint] = hidden.ZeroPoint;
        float cellClip = o.GetFloat(1);
        p[LstmS8.CellClip] = cellClip > 0 ? (int)Math.Min(short.MaxValue, cellClip / cell.Scale) : 0;

        // tanh(cell): the int16 TANH call TFLM makes from the cell scale 2^p (corpus MANIFEST section 10).
        p[LstmS8.TanhCellMultiplier] = cellPower >= -12 ? 0 : 3;
        p[LstmS8.TanhCellShift] = cellPower >= -12 ? cellPower + 12 : -(cellPower + 12);
        if (!ActivationS16.ParamsValid(p[LstmS8.TanhCellMultiplier], p[LstmS8.TanhCellShift]))
        {
            throw Unsupported(op, $"a cell state scale of 2^{cellPower}");
        }

        var emmOp = new EmmOp
        {
            Code = OpCode.UnidirectionalSequenceLstm,
            Inputs = [context.MapArena(op, input, "input"), .. weights, context.Map(hidden.Index, state: true), context.Map(cell.Index, state: true)],
            Outputs = [context.Map(output.Index)],
            Params = p,
            SourceIndex = op.Index,
            Macs = (long)batches * steps * GateCount * units * (inputSize + units),
        };
        emmOp.Arrays.Add(new ConstArray(LstmS8.SigmoidTable, SigmoidTable.Packed()));
        emmOp.Arrays.Add(new ConstArray(LstmS8.InputBias, inputBias));
        emmOp.Arrays.Add(new ConstArray(LstmS8.RecurrentBias, recurrentBias));
        context.Add(emmOp);
    }

    private static void RequireWeights(TfOperator op, TfTensor w, string role, int rows, int columns)
    {
        RequireType(op, w, role, TfLiteType.Int8);
        RequireQuantized(op, w, role);
        RequireZeroFilterOffsets(op, w);
        if (w.Shape.Length != 2 || w.Shape[0] != rows || w.Shape[1] != columns || w.Scales.Length != 1)
        {
            throw Unsupported(op, $"{role} '{w.Name}' of shape [{string.Join(",", w.Shape)}] with {w.Scales.Length} scales (need [{rows},{columns}], one scale)");
        }
    }
}
