using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>Routes each op to its kernel's Validate, and holds the checks kernels share.</summary>
    public static class KernelContracts
    {
        /// <summary>Validates op <paramref name="op"/> of a model being loaded; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            switch (m.Op(op))
            {
                case OpCode.Conv2D: return ConvS8.Validate(m, op);
                case OpCode.DepthwiseConv2D: return DepthwiseConvS8.Validate(m, op);
                case OpCode.FullyConnected: return FullyConnectedS8.Validate(m, op);
                case OpCode.AveragePool2D:
                case OpCode.MaxPool2D: return PoolingS8.Validate(m, op);
                case OpCode.Reshape: return ReshapeKernel.Validate(m, op);
                case OpCode.Softmax: return SoftmaxS8.Validate(m, op);
                case OpCode.Add: return AddS8.Validate(m, op);
                case OpCode.Mean: return MeanS8.Validate(m, op);
                case OpCode.Logistic:
                case OpCode.Tanh: return ActivationS8.Validate(m, op);
                case OpCode.Quantize: return QuantizeKernels.ValidateQuantize(m, op);
                case OpCode.Dequantize: return QuantizeKernels.ValidateDequantize(m, op);
                case OpCode.Svdf: return SvdfS8.Validate(m, op);
                case OpCode.Conv2DS16: return ConvS16.Validate(m, op, false);
                case OpCode.DepthwiseConv2DS16: return ConvS16.Validate(m, op, true);
                case OpCode.FullyConnectedS16: return FullyConnectedS16.Validate(m, op);
                case OpCode.SoftmaxS16: return SoftmaxS16.Validate(m, op);
                case OpCode.LogisticS16:
                case OpCode.TanhS16: return ActivationS16.Validate(m, op);
                case OpCode.UnidirectionalSequenceLstm: return LstmS8.Validate(m, op);
                default: return ModelError.UnknownOp;
            }
        }

        /// <summary>lo &lt;= v &lt;= hi.</summary>
        /// <summary>
        /// The contract of an element-wise op: one input and one output, both of <paramref name="type"/> and of the
        /// same element count, and <paramref name="paramCount"/> parameters.
        /// </summary>
        public static bool IsElementwise(Model m, int op, int paramCount, int type)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != paramCount)
            {
                return false;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            return m.TensorType(input) == type && m.TensorType(output) == type && m.ElementCount(input) == m.ElementCount(output);
        }

        public static bool InRange(int v, int lo, int hi)
        {
            return v >= lo && v <= hi;
        }

        /// <summary>A fused activation range inside the output type's range.</summary>
        public static bool IsActivationRange(int min, int max, int typeMin, int typeMax)
        {
            return min >= typeMin && max <= typeMax && min <= max;
        }

        /// <summary>An int8 tensor of rank 4.</summary>
        public static bool IsInt8Rank4(Model m, int t)
        {
            return m.TensorType(t) == ElementType.Int8 && m.Rank(t) == 4;
        }

        /// <summary>
        /// Checks the per-channel requantization arrays named by params (any may be NoArray to skip it):
        /// multipliers positive Q0.31, shifts in [-31, 30], bias present or NoArray; all inside constant data.
        /// </summary>
        public static int ValidateRequantArrays(Model m, int op, int multipliersParam, int shiftsParam, int biasParam, int channels)
        {
            if (multipliersParam != EmmFormat.NoArray)
            {
                if (!m.HasInt32Array(op, multipliersParam, channels) || !m.HasInt32Array(op, shiftsParam, channels))
                {
                    return ModelError.ArrayOutOfRange;
                }

                for (int c = 0; c < channels; c++)
                {
                    if (m.ArrayInt32(op, multipliersParam, c) < 0 || !InRange(m.ArrayInt32(op, shiftsParam, c), -31, 30))
                    {
                        return ModelError.BadOpParams;
                    }
                }
            }

            if (biasParam != EmmFormat.NoArray && m.Param(op, biasParam) != EmmFormat.NoArray && !m.HasInt32Array(op, biasParam, channels))
            {
                return ModelError.ArrayOutOfRange;
            }

            return ModelError.None;
        }
    }
}
