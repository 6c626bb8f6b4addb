using Edge.Micro.Runtime.Arithmetic;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// SOFTMAX_S16 over the last dimension, int16 in, int16 out with scale 1/32768 and zero point 0: TFLM's
    /// reference_ops::SoftmaxInt16. Input differences from the row maximum are scaled so that [-65535, 0] spans
    /// [-10, 0], exp comes from a 513-entry table with linear interpolation, the reciprocal of the sum from a
    /// second table of 1/(1+x). Both tables are computed by the converter (TFLM builds them in Prepare) and
    /// stored as int16 values, two per int32 word.
    /// </summary>
    public static class SoftmaxS16
    {
        public const int InputMultiplier = 0;
        public const int InputShift = 1;
        public const int ExpTable = 2;
        public const int ReciprocalTable = 3;
        public const int ParamCount = 4;

        /// <summary>Entries of each table: 512 steps and the end point.</summary>
        public const int TableEntries = 513;

        /// <summary>int32 words holding a table.</summary>
        public const int TableWords = (TableEntries + 1) / 2;

        /// <summary>Largest row length: keeps the sum of exps inside 31 bits.</summary>
        public const int MaxDepth = 0xFFFF;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (!SoftmaxS8.TensorsFit(m, op, ParamCount, ElementType.Int16, MaxDepth))
            {
                return ModelError.BadOpTensors;
            }

            if (m.Param(op, InputMultiplier) < 0 || !KernelContracts.InRange(m.Param(op, InputShift), -31, 30))
            {
                return ModelError.BadOpParams;
            }

            return m.HasInt32Array(op, ExpTable, TableWords) && m.HasInt32Array(op, ReciprocalTable, TableWords)
                ? ModelError.None : ModelError.ArrayOutOfRange;
        }

        /// <summary>Runs the op; the output row holds the exps until they are rescaled, as in TFLM.</summary>
        public static void Eval(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            byte[] w = m.Bytes;
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int depth = m.LastDim(input);
            int rows = m.ElementCount(input) / depth;
            int multiplier = m.Param(op, InputMultiplier);
            int shift = m.Param(op, InputShift);
            int expTable = m.ArrayOffset(op, ExpTable);
            int reciprocalTable = m.ArrayOffset(op, ReciprocalTable);

            for (int row = 0; row < rows; row++)
            {
                int inRow = inBase + row * depth * 2;
                int outRow = outBase + row * depth * 2;
                int max = short.MinValue;
                for (int c = 0; c < depth; c++)
                {
                    int v = LittleEndian.ReadInt16(arena, inRow + c * 2);
                    max = v > max ? v : max;
                }

                int sum = 0;
                for (int c = 0; c < depth; c++)
                {
                    int scaled = FixedPoint.MultiplyByQuantizedMultiplier(LittleEndian.ReadInt16(arena, inRow + c * 2) - max, multiplier, shift);
                    int e = Lookup(w, expTable, Saturate16(scaled + 32767));
                    LittleEndian.WriteInt16(arena, outRow + c * 2, e);
                    sum += e;
                }

                // TFLM's exp table is positive, so the row's largest input alone adds about 32767. Only a damaged
                // table gives a sum below 2; it is taken as 2 so that both shifts stay defined (native: softmax_s16.c).
                if (sum < 2)
                {
                    sum = 2;
                }

                int headroomPlusOne = FixedPoint.CountLeadingZeros((uint)sum);
                int shiftedSum = (int)((((long)sum << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
                int reciprocal = Lookup(w, reciprocalTable, Saturate16(shiftedSum - ((1 << 15) + (1 << 16))));
                int rightShift = 31 - headroomPlusOne;
                long round = 1L << (rightShift - 1);
                for (int c = 0; c < depth; c++)
                {
                    int result = (int)(((long)LittleEndian.ReadInt16(arena, outRow + c * 2) * reciprocal + round) >> rightShift);
                    LittleEndian.WriteInt16(arena, outRow + c * 2, result < 0 ? 0 : (result > short.MaxValue ? short.MaxValue : result));
                }
            }
        }

        /// <summary>TFLM's generic_int16_table_lookup: the entry for the top 9 bits, interpolated by the low 7.</summary>
        private static int Lookup(byte[] w, int table, int value)
        {
            int index = 256 + (value >> 7);
            int offset = value & 0x7F;
            int baseValue = LittleEndian.ReadInt16(w, table + index * 2);
            int slope = (short)(LittleEndian.ReadInt16(w, table + index * 2 + 2) - baseValue);
            return (short)(baseValue + ((slope * offset + 64) >> 7));
        }

        private static int Saturate16(int v)
        {
            return v < short.MinValue ? short.MinValue : (v > short.MaxValue ? short.MaxValue : v);
        }
    }
}
