using Edge.Micro.Runtime.Arithmetic;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// UNIDIRECTIONAL_SEQUENCE_LSTM, TFLM's integer 8x8->16 form: int8 input, weights, hidden state and output,
    /// int32 biases, int16 cell state with a power-of-two scale. For each batch and time step, per unit u:
    /// <list type="number">
    /// <item>each gate's pre-activation (input, forget, cell, output) is int16 at scale 2^-12: the input FC
    /// (inputBias + dot(inputWeights[u], x), rescaled, saturated) plus the recurrent FC (recurrentBias +
    /// dot(recurrentWeights[u], h), rescaled, saturated), added with saturation;</item>
    /// <item>i, f, o = int16 sigmoid (scale 2^-12 in, 2^-15 out); g = int16 tanh (the cell gate's TANH);</item>
    /// <item>cell = sat16(sat16(MBQM(f x cell, forget)) + sat16(MBQM(i x g, inputGate))), then clipped to
    /// +-cellClip when cellClip &gt; 0;</item>
    /// <item>h = clamp(MBQM(o x tanh(cell), hidden) + hiddenZeroPoint, -128, 127), tanh(cell) taken with the
    /// rescale the cell scale gives.</item>
    /// </list>
    /// The new hidden values go straight to the step's slot of the output sequence (every unit still needs the
    /// old h for its recurrent FC) and are copied into the hidden state after the step: no scratch, and no
    /// allocation per inference. The
    /// converter folds the input zero point into inputBias (bias - inputZeroPoint x sum of the row) and the
    /// hidden zero point into recurrentBias (-hiddenZeroPoint x sum of the row): exact modulo 2^32, as TFLM's
    /// int32 accumulators. Hidden and cell state are persistent state tensors: kept across invokes, reset by
    /// <see cref="Interpreter.ResetState"/> (hidden to its zero point, cell to 0), exactly as TFLM keeps them.
    /// The arithmetic was confirmed on the corpus's two LSTM models (every case, the final states and the
    /// stateful run).
    /// </summary>
    public static class LstmS8
    {
        /// <summary>Gates in TFLite's order: input, forget, cell, output.</summary>
        public const int GateCount = 4;

        private const int InputGate = 0;
        private const int ForgetGate = 1;
        private const int CellGate = 2;
        private const int OutputGate = 3;

        public const int TimeMajor = 0;

        /// <summary>First of four (input, forget, cell, output gate): the input FC's rescale to 2^-12.</summary>
        public const int InputMultipliers = 1;
        public const int InputShifts = 5;

        /// <summary>First of four: the recurrent FC's rescale to 2^-12.</summary>
        public const int RecurrentMultipliers = 9;
        public const int RecurrentShifts = 13;

        /// <summary>forget gate x cell state -> cell state (2^-15).</summary>
        public const int ForgetMultiplier = 17;
        public const int ForgetShift = 18;

        /// <summary>input gate x cell gate -> cell state (2^-30 / cell scale).</summary>
        public const int InputGateMultiplier = 19;
        public const int InputGateShift = 20;

        /// <summary>output gate x tanh(cell) -> hidden state (2^-30 / hidden scale).</summary>
        public const int HiddenMultiplier = 21;
        public const int HiddenShift = 22;
        public const int HiddenZeroPoint = 23;

        /// <summary>Cell state bound in cell-state units; 0: no clipping.</summary>
        public const int CellClip = 24;

        /// <summary>The int16 TANH rescale of the cell state (ActivationS16's multiplier and left shift).</summary>
        public const int TanhCellMultiplier = 25;
        public const int TanhCellShift = 26;

        /// <summary>The 256 sigmoid nodes (<see cref="ActivationS16.TableWords"/> words).</summary>
        public const int SigmoidTable = 27;

        /// <summary>4 x units int32: each gate's bias with the input zero point folded in, gate after gate.</summary>
        public const int InputBias = 28;

        /// <summary>4 x units int32: each gate's -hiddenZeroPoint x sum of its recurrent weight row.</summary>
        public const int RecurrentBias = 29;
        public const int ParamCount = 30;

        /// <summary>Tensor order: input, 4 input weights, 4 recurrent weights, hidden state, cell state.</summary>
        public const int InputTensor = 0;
        public const int InputWeightsTensor = 1;
        public const int RecurrentWeightsTensor = 5;
        public const int HiddenStateTensor = 9;
        public const int CellStateTensor = 10;
        public const int InputCount = 11;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != InputCount || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, InputTensor);
            int hidden = m.OpInput(op, HiddenStateTensor);
            int cell = m.OpInput(op, CellStateTensor);
            int output = m.OpOutput(op, 0);
            if (m.TensorType(input) != ElementType.Int8 || m.Rank(input) != 3 || m.IsConstant(input)
                || m.TensorType(hidden) != ElementType.Int8 || m.Rank(hidden) != 2 || !m.IsState(hidden)
                || m.TensorType(cell) != ElementType.Int16 || m.Rank(cell) != 2 || !m.IsState(cell)
                || m.TensorType(output) != ElementType.Int8 || m.Rank(output) != 3)
            {
                return ModelError.BadOpTensors;
            }

            int timeMajor = m.Param(op, TimeMajor);
            if (timeMajor != 0 && timeMajor != 1)
            {
                return ModelError.BadOpParams;
            }

            int batches = m.Dim(input, timeMajor == 1 ? 1 : 0);
            int steps = m.Dim(input, timeMajor == 1 ? 0 : 1);
            int inputSize = m.Dim(input, 2);
            int units = m.Dim(hidden, 1);
            if (m.Dim(hidden, 0) != batches || m.Dim(cell, 0) != batches || m.Dim(cell, 1) != units
                || m.Dim(output, 0) != m.Dim(input, 0) || m.Dim(output, 1) != m.Dim(input, 1) || m.Dim(output, 2) != units || steps < 1)
            {
                return ModelError.BadOpTensors;
            }

            for (int g = 0; g < GateCount; g++)
            {
                int w = m.OpInput(op, InputWeightsTensor + g);
                int r = m.OpInput(op, RecurrentWeightsTensor + g);
                if (!IsWeights(m, w, units, inputSize) || !IsWeights(m, r, units, units))
                {
                    return ModelError.BadOpTensors;
                }

                if (!IsRescale(m.Param(op, InputMultipliers + g), m.Param(op, InputShifts + g))
                    || !IsRescale(m.Param(op, RecurrentMultipliers + g), m.Param(op, RecurrentShifts + g)))
                {
                    return ModelError.BadOpParams;
                }
            }

            if (!IsRescale(m.Param(op, ForgetMultiplier), m.Param(op, ForgetShift))
                || !IsRescale(m.Param(op, InputGateMultiplier), m.Param(op, InputGateShift))
                || !IsRescale(m.Param(op, HiddenMultiplier), m.Param(op, HiddenShift))
                || !KernelContracts.InRange(m.Param(op, HiddenZeroPoint), -128, 127)
                || !KernelContracts.InRange(m.Param(op, CellClip), 0, short.MaxValue)
                || !ActivationS16.ParamsValid(m.Param(op, TanhCellMultiplier), m.Param(op, TanhCellShift)))
            {
                return ModelError.BadOpParams;
            }

            return m.HasInt32Array(op, SigmoidTable, ActivationS16.TableWords)
                && m.HasInt32Array(op, InputBias, GateCount * units) && m.HasInt32Array(op, RecurrentBias, GateCount * units)
                ? ModelError.None : ModelError.ArrayOutOfRange;
        }

        private static bool IsWeights(Model m, int t, int rows, int columns)
        {
            return m.TensorType(t) == ElementType.Int8 && m.IsConstant(t) && m.Rank(t) == 2 && m.Dim(t, 0) == rows && m.Dim(t, 1) == columns;
        }

        private static bool IsRescale(int multiplier, int shift)
        {
            return multiplier >= 0 && KernelContracts.InRange(shift, -31, 30);
        }

        /// <summary>Runs the whole sequence, updating the hidden and cell state in place.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, InputTensor);
            int hidden = m.OpInput(op, HiddenStateTensor);
            int cell = m.OpInput(op, CellStateTensor);
            int output = m.OpOutput(op, 0);
            bool timeMajor = m.Param(op, TimeMajor) == 1;
            int batches = m.Dim(hidden, 0);
            int units = m.Dim(hidden, 1);
            int steps = m.Dim(input, timeMajor ? 0 : 1);
            int inputSize = m.Dim(input, 2);
            byte[] inBuf = m.Buffer(input, arena);
            byte[] w = m.Bytes;
            int table = m.ArrayOffset(op, SigmoidTable);
            int hiddenZeroPoint = m.Param(op, HiddenZeroPoint);
            int clip = m.Param(op, CellClip);

            for (int b = 0; b < batches; b++)
            {
                int hBase = m.DataOffset(hidden) + b * units;
                int cBase = m.DataOffset(cell) + b * units * 2;
                for (int t = 0; t < steps; t++)
                {
                    int row = timeMajor ? t * batches + b : b * steps + t;
                    int xBase = m.DataOffset(input) + row * inputSize;
                    int outBase = m.DataOffset(output) + row * units;
                    for (int u = 0; u < units; u++)
                    {
                        // Gate pre-activations are at 2^-12: the int16 kernels' power-of-two call (0, 0).
                        int inputGate = ActivationS16.Logistic(w, table, 0, 0, Preactivation(m, op, arena, inBuf, xBase, hBase, InputGate, u, units, inputSize));
                        int forgetGate = ActivationS16.Logistic(w, table, 0, 0, Preactivation(m, op, arena, inBuf, xBase, hBase, ForgetGate, u, units, inputSize));
                        int cellGate = ActivationS16.Tanh(w, table, 0, 0, Preactivation(m, op, arena, inBuf, xBase, hBase, CellGate, u, units, inputSize));
                        int outputGate = ActivationS16.Logistic(w, table, 0, 0, Preactivation(m, op, arena, inBuf, xBase, hBase, OutputGate, u, units, inputSize));

                        int c = Saturate16(
                            Rescale16(forgetGate * LittleEndian.ReadInt16(arena, cBase + u * 2), m.Param(op, ForgetMultiplier), m.Param(op, ForgetShift))
                            + Rescale16(inputGate * cellGate, m.Param(op, InputGateMultiplier), m.Param(op, InputGateShift)));
                        if (clip > 0)
                        {
                            c = c < -clip ? -clip : (c > clip ? clip : c);
                        }

                        LittleEndian.WriteInt16(arena, cBase + u * 2, c);
                        int tanhCell = ActivationS16.Tanh(w, table, m.Param(op, TanhCellMultiplier), m.Param(op, TanhCellShift), c);
                        int h = FixedPoint.MultiplyByQuantizedMultiplier(outputGate * tanhCell, m.Param(op, HiddenMultiplier), m.Param(op, HiddenShift))
                            + hiddenZeroPoint;
                        arena[outBase + u] = (byte)(h < -128 ? -128 : (h > 127 ? 127 : h));
                    }

                    for (int u = 0; u < units; u++)
                    {
                        arena[hBase + u] = arena[outBase + u];
                    }
                }
            }
        }

        /// <summary>
        /// Gate <paramref name="gate"/>'s pre-activation for unit <paramref name="u"/>, int16 at 2^-12: the input FC
        /// plus the recurrent FC, each rescaled and saturated, added with saturation.
        /// </summary>
        private static int Preactivation(Model m, int op, byte[] arena, byte[] inBuf, int xBase, int hBase, int gate, int u, int units, int inputSize)
        {
            byte[] w = m.Bytes;
            int bias = (gate * units + u) * 4;
            int fromInput = LittleEndian.ReadInt32(w, m.ArrayOffset(op, InputBias) + bias)
                + Dot(w, m.DataOffset(m.OpInput(op, InputWeightsTensor + gate)) + u * inputSize, inBuf, xBase, inputSize);
            int fromHidden = LittleEndian.ReadInt32(w, m.ArrayOffset(op, RecurrentBias) + bias)
                + Dot(w, m.DataOffset(m.OpInput(op, RecurrentWeightsTensor + gate)) + u * units, arena, hBase, units);
            return Saturate16(Rescale16(fromInput, m.Param(op, InputMultipliers + gate), m.Param(op, InputShifts + gate))
                + Rescale16(fromHidden, m.Param(op, RecurrentMultipliers + gate), m.Param(op, RecurrentShifts + gate)));
        }

        /// <summary>int32 sum of products of an int8 weight row (model bytes) and an int8 vector.</summary>
        private static int Dot(byte[] weights, int wBase, byte[] x, int xBase, int count)
        {
            int sum = 0;
            for (int k = 0; k < count; k++)
            {
                sum += (sbyte)weights[wBase + k] * (sbyte)x[xBase + k];
            }

            return sum;
        }

        private static int Rescale16(int acc, int multiplier, int shift)
        {
            return Saturate16(FixedPoint.MultiplyByQuantizedMultiplier(acc, multiplier, shift));
        }

        private static int Saturate16(int v)
        {
            return v < short.MinValue ? short.MinValue : (v > short.MaxValue ? short.MaxValue : v);
        }
    }
}
