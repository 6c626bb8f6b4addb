using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// LOGISTIC_S16 and TANH_S16: int16 in (zero point 0), int16 out with scale 2^-15 and zero point 0, bit-exact
    /// with TFLM's int16 kernels. The input is rescaled to units of 1/12288 (3 x 2^12: the sigmoid table's nodes
    /// are 1/24 apart, 512 units), then the sigmoid is read from a 256-entry table of unsigned 16-bit values and
    /// interpolated linearly; tanh uses the same table through tanh(x) = 2 sigmoid(2x) - 1, with nodes 256 units
    /// apart. The table and the rounding of both functions were measured, not copied: every node and both rounding
    /// constants follow from TFLM's output for every int16 input in the reference corpus (docs/format.md,
    /// "int16 LOGISTIC and TANH"); the converter stores the table in each op's constant data.
    /// </summary>
    public static class ActivationS16
    {
        public const int InputMultiplier = 0;
        public const int InputLeftShift = 1;
        public const int SigmoidTable = 2;
        public const int ParamCount = 3;

        /// <summary>Nodes of the sigmoid table: sigmoid(i / 24) x 65536 for i = 0..255 (last node 65535).</summary>
        public const int TableEntries = 256;

        /// <summary>int32 words holding the table (two unsigned 16-bit values per word, low half first).</summary>
        public const int TableWords = TableEntries / 2;

        /// <summary>Largest left shift: the rescaled input must fit 31 bits.</summary>
        public const int MaxLeftShift = 30;

        /// <summary>Largest left shift of the power-of-two form (multiplier 0 stands for 3 x 2^shift, applied without a shift).</summary>
        public const int MaxPowerOfTwoShift = 14;

        private const int LogisticFractionBits = 9;
        private const int TanhFractionBits = 8;
        private const int LastSegment = TableEntries - 1;

        /// <summary>Checks the op against this kernel's contract; returns a <see cref="ModelError"/> code.</summary>
        public static int Validate(Model m, int op)
        {
            if (!KernelContracts.IsElementwise(m, op, ParamCount, ElementType.Int16))
            {
                return ModelError.BadOpTensors;
            }

            if (!ParamsValid(m.Param(op, InputMultiplier), m.Param(op, InputLeftShift)))
            {
                return ModelError.BadOpParams;
            }

            return m.HasInt32Array(op, SigmoidTable, TableWords) ? ModelError.None : ModelError.ArrayOutOfRange;
        }

        /// <summary>True when (multiplier, left shift) is a rescale these kernels can apply without overflow.</summary>
        public static bool ParamsValid(int multiplier, int leftShift)
        {
            return KernelContracts.InRange(multiplier, 0, short.MaxValue)
                && KernelContracts.InRange(leftShift, 0, multiplier == 0 ? MaxPowerOfTwoShift : MaxLeftShift);
        }

        /// <summary>Runs LOGISTIC_S16 (logistic = true) or TANH_S16 over the whole tensor.</summary>
        public static void Eval(Model m, int op, byte[] arena, bool logistic)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            byte[] inBuf = m.Buffer(input, arena);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int count = m.ElementCount(input);
            int multiplier = m.Param(op, InputMultiplier);
            int leftShift = m.Param(op, InputLeftShift);
            int table = m.ArrayOffset(op, SigmoidTable);
            byte[] w = m.Bytes;
            for (int i = 0; i < count; i++)
            {
                int x = LittleEndian.ReadInt16(inBuf, inBase + i * 2);
                int y = logistic ? Logistic(w, table, multiplier, leftShift, x) : Tanh(w, table, multiplier, leftShift, x);
                LittleEndian.WriteInt16(arena, outBase + i * 2, y);
            }
        }

        /// <summary>The input in units of 1/12288: x x multiplier / 2^leftShift, rounded half up.</summary>
        public static int Rescale(int x, int multiplier, int leftShift)
        {
            if (multiplier == 0)
            {
                return x * (3 << leftShift);
            }

            int round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
            return (x * multiplier + round) >> leftShift;
        }

        /// <summary>Sigmoid of one int16 input, Q0.15 result (0..32767).</summary>
        public static int Logistic(byte[] w, int table, int multiplier, int leftShift, int x)
        {
            int v = Rescale(x, multiplier, leftShift);
            int magnitude = v < 0 ? -v : v;
            int segment = magnitude >> LogisticFractionBits;
            int r = segment >= LastSegment
                ? short.MaxValue << (LogisticFractionBits + 1)
                : Interpolate(w, table, segment, magnitude & ((1 << LogisticFractionBits) - 1), LogisticFractionBits);

            // r is the sigmoid in units of 2^-25; the negative side is 1 - sigmoid.
            return v >= 0 ? (r + (1 << LogisticFractionBits)) >> 10 : ((1 << 25) - r + (1 << LogisticFractionBits) - 1) >> 10;
        }

        /// <summary>Tanh of one int16 input, Q0.15 result (-32767..32767).</summary>
        public static int Tanh(byte[] w, int table, int multiplier, int leftShift, int x)
        {
            int v = Rescale(x, multiplier, leftShift);
            int magnitude = v < 0 ? -v : v;
            int segment = magnitude >> TanhFractionBits;
            int r = segment >= LastSegment
                ? ushort.MaxValue << TanhFractionBits
                : Interpolate(w, table, segment, magnitude & ((1 << TanhFractionBits) - 1), TanhFractionBits);

            // r is sigmoid(2|x|) in units of 2^-24; tanh = 2 sigmoid - 1 in units of 2^-15.
            const int Half = 1 << 23;
            return v >= 0 ? (r - Half + (1 << 7)) >> TanhFractionBits : (Half - r + (1 << 7) - 1) >> TanhFractionBits;
        }

        /// <summary>Node <paramref name="segment"/> scaled by 2^bits plus fraction x (next node - node).</summary>
        private static int Interpolate(byte[] w, int table, int segment, int fraction, int bits)
        {
            int a = LittleEndian.ReadUInt16(w, table + segment * 2);
            int b = LittleEndian.ReadUInt16(w, table + segment * 2 + 2);
            return (a << bits) + fraction * (b - a);
        }
    }
}
