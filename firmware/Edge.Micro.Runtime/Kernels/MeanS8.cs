using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// MEAN over height and width of an int8 [N,H,W,C] tensor (global average pooling): TFLM's
    /// reference_integer_ops::Mean. The sum of (x - input zero point) is rescaled by input/output scale,
    /// divided by H*W rounding half away from zero, and offset by the output zero point.
    /// </summary>
    public static class MeanS8
    {
        public const int InputOffset = 0;
        public const int OutputOffset = 1;
        public const int Multiplier = 2;
        public const int Shift = 3;
        public const int ParamCount = 4;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != ParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            if (!KernelContracts.IsInt8Rank4(m, input) || m.TensorType(output) != ElementType.Int8 || m.IsConstant(input)
                || m.ElementCount(output) != m.Dim(input, 0) * m.Dim(input, 3) || (long)m.Dim(input, 1) * m.Dim(input, 2) > 0xFFFF)
            {
                return ModelError.BadOpTensors;
            }

            if (!KernelContracts.InRange(m.Param(op, InputOffset), -255, 255) || !KernelContracts.InRange(m.Param(op, OutputOffset), -128, 127)
                || !KernelContracts.InRange(m.Param(op, Shift), -31, 30))
            {
                return ModelError.BadOpParams;
            }

            return ModelError.None;
        }

        /// <summary>Runs the op.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int batches = m.Dim(input, 0);
            int height = m.Dim(input, 1);
            int width = m.Dim(input, 2);
            int depth = m.Dim(input, 3);
            int count = height * width;
            int inputOffset = m.Param(op, InputOffset);
            int outputOffset = m.Param(op, OutputOffset);
            int multiplier = m.Param(op, Multiplier);
            int shift = m.Param(op, Shift);

            for (int b = 0; b < batches; b++)
            {
                for (int c = 0; c < depth; c++)
                {
                    int acc = 0;
                    for (int i = 0; i < count; i++)
                    {
                        acc += (sbyte)arena[inBase + (b * count + i) * depth + c] + inputOffset;
                    }

                    acc = FixedPoint.MultiplyByQuantizedMultiplier(acc, multiplier, shift);
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    acc += outputOffset;
                    acc = acc < -128 ? -128 : (acc > 127 ? 127 : acc);
                    arena[outBase + b * depth + c] = (byte)acc;
                }
            }
        }
    }
}
