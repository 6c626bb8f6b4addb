using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Kernels
{
    /// <summary>
    /// QUANTIZE and DEQUANTIZE at the model's edges: TFLM's reference_ops::AffineQuantize (float32 to
    /// int8/int16: round(x / scale) + zero point, the division in double), reference_ops::Requantize
    /// (int8/int16 to int8/int16 through a quantized multiplier) and reference_ops::Dequantize
    /// ((float)(scale * (q - zero point)) computed in double).
    /// </summary>
    public static class QuantizeKernels
    {
        // QUANTIZE parameters.
        public const int OutputZeroPoint = 0;
        public const int OutputScaleBits = 1;
        public const int InputZeroPoint = 2;
        public const int Multiplier = 3;
        public const int Shift = 4;
        public const int QuantizeParamCount = 5;

        // DEQUANTIZE parameters.
        public const int ZeroPoint = 0;
        public const int ScaleBits = 1;
        public const int DequantizeParamCount = 2;

        /// <summary>Checks a QUANTIZE op; returns a <see cref="ModelError"/> code.</summary>
        public static int ValidateQuantize(Model m, int op)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != QuantizeParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            int inType = m.TensorType(input);
            if ((inType != ElementType.Float32 && !IsQuantized(inType)) || !IsQuantized(m.TensorType(output))
                || m.ElementCount(input) != m.ElementCount(output))
            {
                return ModelError.BadOpTensors;
            }

            if (!KernelContracts.InRange(m.Param(op, Shift), -31, 30) || !(FloatBits.FromBits(m.Param(op, OutputScaleBits)) > 0))
            {
                return ModelError.BadOpParams;
            }

            return ModelError.None;
        }

        /// <summary>Checks a DEQUANTIZE op; returns a <see cref="ModelError"/> code.</summary>
        public static int ValidateDequantize(Model m, int op)
        {
            if (m.OpInputCount(op) != 1 || m.OpOutputCount(op) != 1 || m.ParamCount(op) != DequantizeParamCount)
            {
                return ModelError.BadOpTensors;
            }

            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            if (!IsQuantized(m.TensorType(input)) || m.TensorType(output) != ElementType.Float32 || m.ElementCount(input) != m.ElementCount(output))
            {
                return ModelError.BadOpTensors;
            }

            return ModelError.None;
        }

        /// <summary>Runs QUANTIZE.</summary>
        public static void EvalQuantize(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            byte[] inBuf = m.Buffer(input, arena);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int count = m.ElementCount(input);
            int inType = m.TensorType(input);
            int outType = m.TensorType(output);
            int min = outType == ElementType.Int8 ? -128 : -32768;
            int max = outType == ElementType.Int8 ? 127 : 32767;
            int outZeroPoint = m.Param(op, OutputZeroPoint);
            double scale = FloatBits.FromBits(m.Param(op, OutputScaleBits));
            int inZeroPoint = m.Param(op, InputZeroPoint);
            int multiplier = m.Param(op, Multiplier);
            int shift = m.Param(op, Shift);

            for (int i = 0; i < count; i++)
            {
                int q;
                if (inType == ElementType.Float32)
                {
                    float x = LittleEndian.ReadSingle(inBuf, inBase + i * 4);
                    q = RoundHalfAwayFromZero(x / scale) + outZeroPoint;
                }
                else
                {
                    int x = inType == ElementType.Int8 ? (sbyte)inBuf[inBase + i] : LittleEndian.ReadInt16(inBuf, inBase + i * 2);
                    q = FixedPoint.MultiplyByQuantizedMultiplier(x - inZeroPoint, multiplier, shift) + outZeroPoint;
                }

                q = q < min ? min : (q > max ? max : q);
                if (outType == ElementType.Int8)
                {
                    arena[outBase + i] = (byte)q;
                }
                else
                {
                    LittleEndian.WriteInt16(arena, outBase + i * 2, q);
                }
            }
        }

        /// <summary>Runs DEQUANTIZE.</summary>
        public static void EvalDequantize(Model m, int op, byte[] arena)
        {
            int input = m.OpInput(op, 0);
            int output = m.OpOutput(op, 0);
            byte[] inBuf = m.Buffer(input, arena);
            int inBase = m.DataOffset(input);
            int outBase = m.DataOffset(output);
            int count = m.ElementCount(input);
            bool int8 = m.TensorType(input) == ElementType.Int8;
            int zeroPoint = m.Param(op, ZeroPoint);
            double scale = FloatBits.FromBits(m.Param(op, ScaleBits));
            for (int i = 0; i < count; i++)
            {
                int q = int8 ? (sbyte)inBuf[inBase + i] : LittleEndian.ReadInt16(inBuf, inBase + i * 2);
                LittleEndian.WriteSingle(arena, outBase + i * 4, (float)(scale * (q - zeroPoint)));
            }
        }

        /// <summary>std::round to int: half away from zero, saturating, NaN to 0 (nanoFramework has no System.Math).</summary>
        public static int RoundHalfAwayFromZero(double v)
        {
            if (double.IsNaN(v))
            {
                return 0;
            }

            if (v >= 2147483647.0)
            {
                return int.MaxValue;
            }

            if (v <= -2147483648.0)
            {
                return int.MinValue;
            }

            long t = (long)v;
            double fraction = v - t;
            if (fraction >= 0.5)
            {
                t++;
            }
            else if (fraction <= -0.5)
            {
                t--;
            }

            return (int)(t > int.MaxValue ? int.MaxValue : (t < int.MinValue ? int.MinValue : t));
        }

        private static bool IsQuantized(int type)
        {
            return type == ElementType.Int8 || type == ElementType.Int16;
        }
    }
}
