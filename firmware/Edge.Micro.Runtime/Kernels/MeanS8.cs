using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// MEAN over height and width of an int8 or int16 [N,H,W,C] tensor (global average pooling): TFLM's
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
            int type = m.TensorType(input);
            if ((type != ElementType.Int8 && type != ElementType.Int16) || m.Rank(input) != 4 || m.TensorType(output) != type || m.IsConstant(input)
                || m.ElementCount(output) != m.Dim(input, 0) * m.Dim(input, 3) || (long)m.Dim(input, 1) * m.Dim(input, 2) > 0xFFFF)
            {
                return ModelError.BadOpTensors;
            }

            int lowest = type == ElementType.Int16 ? short.MinValue : sbyte.MinValue;
            int highest = type == ElementType.Int16 ? short.MaxValue : sbyte.MaxValue;
            if (!KernelContracts.InRange(m.Param(op, InputOffset), -highest, -lowest) || !KernelContracts.InRange(m.Param(op, OutputOffset), lowest, highest)
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
            bool wide = m.TensorType(input) == ElementType.Int16;
            int lowest = wide ? short.MinValue : sbyte.MinValue;
            int highest = wide ? short.MaxValue : sbyte.MaxValue;

            for (int b = 0; b < batches; b++)
            {
                for (int c = 0; c < depth; c++)
                {
                    int acc = 0;
                    for (int i = 0; i < count; i++)
                    {
                        int at = (b * count + i) * depth + c;
                        acc += (wide ? LittleEndian.ReadInt16(arena, inBase + at * 2) : (sbyte)arena[inBase + at]) + inputOffset;
                    }

                    acc = FixedPoint.MultiplyByQuantizedMultiplier(acc, multiplier, shift);
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    acc += outputOffset;
                    acc = acc < lowest ? lowest : (acc > highest ? highest : acc);
                    if (wide)
                    {
                        LittleEndian.WriteInt16(arena, outBase + (b * depth + c) * 2, acc);
                    }
                    else
                    {
                        arena[outBase + b * depth + c] = (byte)acc;
                    }
                }
            }
        }
    }
}
