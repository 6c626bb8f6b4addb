using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// SVDF, int8 input and output with an int8 or int16 activation state and time weights of the same type:
    /// TFLM's EvalIntegerSvdfReference (svdf_common.cc at the corpus commit). Per inference:
    /// <list type="number">
    /// <item>the state [B, F*M] moves one element to the left (the oldest time step of each filter drops out);</item>
    /// <item>feature step: for each filter f, acc = featureOffset[f] + dot(weightsFeature[f], input);
    /// state[f, M-1] = (T)(clamp(MBQM(acc, featureMultiplier, featureShift), T) + stateZeroPoint)
    /// (clamp first, then the zero point, stored modulo the type's width, as TFLM does it);</item>
    /// <item>time step: out[u] = bias[u] + the sum over the unit's rank filters of dot(weightsTime[f], state[f]);
    /// output = clamp(MBQM(out, outputMultiplier, outputShift) + outputZeroPoint, -128, 127).</item>
    /// </list>
    /// The converter folds the input zero point into featureOffset (-inputZeroPoint * sum of the filter's
    /// feature weights) and the state zero point into bias (-stateZeroPoint * sum of the unit's time weights):
    /// exact modulo 2^32, which is what TFLM's int32 accumulators compute. TFLM applies no fused activation
    /// in the integer path, and neither does this kernel. The state tensor has storage
    /// <see cref="EmmFormat.StorageState"/>: it keeps its value between inferences and
    /// <see cref="Interpreter.ResetState"/> sets it to its zero point.
    /// </summary>
    public static class SvdfS8
    {
        public const int Rank = 0;
        public const int StateZeroPoint = 1;
        public const int OutputZeroPoint = 2;
        public const int FeatureMultiplier = 3;
        public const int FeatureShift = 4;
        public const int OutputMultiplier = 5;
        public const int OutputShift = 6;
        public const int FeatureOffsets = 7;
        public const int Bias = 8;
        public const int ParamCount = 9;

        /// <summary>Tensor order: inputs.</summary>
        public const int InputTensor = 0;
        public const int WeightsFeatureTensor = 1;
        public const int WeightsTimeTensor = 2;
        public const int StateTensor = 3;
        public const int InputCount = 4;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != InputCount || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, InputTensor);
            int feature = m.OpInput(op, WeightsFeatureTensor);
            int time = m.OpInput(op, WeightsTimeTensor);
            int state = m.OpInput(op, StateTensor);
            int output = m.OpOutput(op, 0);
            int stateType = m.TensorType(state);
            if (m.TensorType(input) != ElementType.Int8 || m.Rank(input) != 2 || m.IsConstant(input)
                || m.TensorType(feature) != ElementType.Int8 || m.Rank(feature) != 2 || !m.IsConstant(feature)
                || (stateType != ElementType.Int8 && stateType != ElementType.Int16) || m.TensorType(time) != stateType
                || m.Rank(time) != 2 || !m.IsConstant(time) || m.Rank(state) != 2 || !m.IsState(state)
                || m.TensorType(output) != ElementType.Int8 || m.Rank(output) != 2)
            {
                return ModelError.BadOpTensors;
            }

            int batches = m.Dim(input, 0);
            int filters = m.Dim(feature, 0);
            int memory = m.Dim(time, 1);
            int rank = m.Param(op, Rank);
            if (m.Dim(feature, 1) != m.Dim(input, 1) || m.Dim(time, 0) != filters || m.Dim(state, 0) != batches
                || (long)m.Dim(state, 1) != (long)filters * memory || m.Dim(output, 0) != batches)
            {
                return ModelError.BadOpTensors;
            }

            if (rank < 1 || filters % rank != 0 || m.Dim(output, 1) != filters / rank)
            {
                return ModelError.BadOpParams;
            }

            int stateMin = stateType == ElementType.Int8 ? sbyte.MinValue : short.MinValue;
            int stateMax = stateType == ElementType.Int8 ? sbyte.MaxValue : short.MaxValue;
            if (!KernelContracts.InRange(m.Param(op, StateZeroPoint), stateMin, stateMax)
                || !KernelContracts.InRange(m.Param(op, OutputZeroPoint), -128, 127)
                || m.Param(op, FeatureMultiplier) < 0 || !KernelContracts.InRange(m.Param(op, FeatureShift), -31, 30)
                || m.Param(op, OutputMultiplier) < 0 || !KernelContracts.InRange(m.Param(op, OutputShift), -31, 30))
            {
                return ModelError.BadOpParams;
            }

            if (!m.HasInt32Array(op, FeatureOffsets, filters) || !m.HasInt32Array(op, Bias, filters / rank))
            {
                return ModelError.ArrayOutOfRange;
            }

            return ModelError.None;
        }

        /// <summary>Runs the op: updates the state and writes the output.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, InputTensor);
            int feature = m.OpInput(op, WeightsFeatureTensor);
            int time = m.OpInput(op, WeightsTimeTensor);
            int state = m.OpInput(op, StateTensor);
            int output = m.OpOutput(op, 0);
            byte[] w = m.Bytes;
            bool wide = m.TensorType(state) == ElementType.Int16;
            int batches = m.Dim(input, 0);
            int inputSize = m.Dim(input, 1);
            int filters = m.Dim(feature, 0);
            int memory = m.Dim(time, 1);
            int rank = m.Param(op, Rank);
            int units = filters / rank;
            int inBase = m.DataOffset(input);
            int featureBase = m.DataOffset(feature);
            int timeBase = m.DataOffset(time);
            int stateBase = m.DataOffset(state);
            int outBase = m.DataOffset(output);
            int offsetsBase = m.ArrayOffset(op, FeatureOffsets);
            int biasBase = m.ArrayOffset(op, Bias);
            int stateZeroPoint = m.Param(op, StateZeroPoint);
            int stateMin = wide ? short.MinValue : sbyte.MinValue;
            int stateMax = wide ? short.MaxValue : sbyte.MaxValue;

            // 1. Shift the whole state one element to the left (a forward copy to lower addresses is safe in place).
            int stateBytes = m.ByteSize(state);
            int elementBytes = wide ? 2 : 1;
            for (int i = elementBytes; i < stateBytes; i++)
            {
                arena[stateBase + i - elementBytes] = arena[stateBase + i];
            }

            for (int b = 0; b < batches; b++)
            {
                // 2. Feature step: the newest time step of every filter.
                int inRow = inBase + b * inputSize;
                int stateRow = stateBase + b * filters * memory * elementBytes;
                for (int f = 0; f < filters; f++)
                {
                    int wRow = featureBase + f * inputSize;
                    int acc = LittleEndian.ReadInt32(w, offsetsBase + f * 4);
                    for (int d = 0; d < inputSize; d++)
                    {
                        acc += (sbyte)w[wRow + d] * (sbyte)arena[inRow + d];
                    }

                    acc = FixedPoint.MultiplyByQuantizedMultiplier(acc, m.Param(op, FeatureMultiplier), m.Param(op, FeatureShift));
                    acc = acc < stateMin ? stateMin : (acc > stateMax ? stateMax : acc);
                    acc += stateZeroPoint;
                    int newest = stateRow + ((f * memory) + memory - 1) * elementBytes;
                    arena[newest] = (byte)acc;
                    if (wide)
                    {
                        arena[newest + 1] = (byte)(acc >> 8);
                    }
                }

                // 3. Time step, reduction over rank, bias, rescale.
                for (int u = 0; u < units; u++)
                {
                    int acc = LittleEndian.ReadInt32(w, biasBase + u * 4);
                    for (int r = 0; r < rank; r++)
                    {
                        int f = u * rank + r;
                        int s = stateRow + f * memory * elementBytes;
                        int t = timeBase + f * memory * elementBytes;
                        for (int j = 0; j < memory; j++)
                        {
                            acc += wide
                                ? (short)(w[t + 2 * j] | (w[t + 2 * j + 1] << 8)) * (short)(arena[s + 2 * j] | (arena[s + 2 * j + 1] << 8))
                                : (sbyte)w[t + j] * (sbyte)arena[s + j];
                        }
                    }

                    acc = FixedPoint.MultiplyByQuantizedMultiplier(acc, m.Param(op, OutputMultiplier), m.Param(op, OutputShift))
                        + m.Param(op, OutputZeroPoint);
                    arena[outBase + b * units + u] = (byte)(acc < -128 ? -128 : (acc > 127 ? 127 : acc));
                }
            }
        }
    }
}
