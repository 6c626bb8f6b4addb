using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// The arithmetic of the TensorFlow Lite build in @tensorflow/tfjs-tflite for int8 CONV_2D and FULLY_CONNECTED: it
/// requantizes with one rounding (x * multiplier + 2^(30 - shift)) >> (31 - shift), TFLite's TFLITE_SINGLE_ROUNDING,
/// where TFLM's reference kernels, and Edge.Micro's, round twice (SaturatingRoundingDoublingHighMul, then
/// RoundingDivideByPOT). The two differ only when the first rounding carries a value across a half. Every other op
/// runs on the managed kernels. Used only to compare with that TFLite build (TfLiteReferenceTests).
/// </summary>
internal sealed class SingleRoundingKernels : IKernelSet
{
    public string Name => "managed, TFLite's single rounding in CONV_2D and FULLY_CONNECTED";

    public void Prepare(Model model) => ManagedKernels.Instance.Prepare(model);

    public int Run(Model m, int op, byte[] arena)
    {
        switch (m.Op(op))
        {
            case OpCode.Conv2D:
                Conv(m, op, arena);
                return 0;
            case OpCode.FullyConnected:
                FullyConnected(m, op, arena);
                return 0;
            default:
                return ManagedKernels.Instance.Run(m, op, arena);
        }
    }

    /// <summary>TFLite's MultiplyByQuantizedMultiplier under TFLITE_SINGLE_ROUNDING.</summary>
    public static int SingleRounding(int x, int multiplier, int shift)
    {
        int total = 31 - shift;
        return (int)(((long)x * multiplier + (1L << (total - 1))) >> total);
    }

    private static int Word(Model m, int arrayOffset, int index) => LittleEndian.ReadInt32(m.Bytes, arrayOffset + 4 * index);

    private static void Conv(Model m, int op, byte[] arena)
    {
        int input = m.OpInput(op, 0), filter = m.OpInput(op, 1), output = m.OpOutput(op, 0);
        int inH = m.Dim(input, 1), inW = m.Dim(input, 2), inC = m.Dim(input, 3);
        int kH = m.Dim(filter, 1), kW = m.Dim(filter, 2);
        int outH = m.Dim(output, 1), outW = m.Dim(output, 2), outC = m.Dim(output, 3);
        int inputOffset = m.Param(op, ConvS8.BiasFolded) != 0 ? 0 : m.Param(op, ConvS8.InputOffset);
        bool hasBias = m.Param(op, ConvS8.Bias) != EmmFormat.NoArray;
        for (int b = 0; b < m.Dim(input, 0); b++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    for (int oc = 0; oc < outC; oc++)
                    {
                        int acc = hasBias ? Word(m, m.ArrayOffset(op, ConvS8.Bias), oc) : 0;
                        for (int ky = 0; ky < kH; ky++)
                        {
                            int iy = oy * m.Param(op, ConvS8.StrideH) - m.Param(op, ConvS8.PadH) + m.Param(op, ConvS8.DilationH) * ky;
                            for (int kx = 0; kx < kW && iy >= 0 && iy < inH; kx++)
                            {
                                int ix = ox * m.Param(op, ConvS8.StrideW) - m.Param(op, ConvS8.PadW) + m.Param(op, ConvS8.DilationW) * kx;
                                for (int ic = 0; ix >= 0 && ix < inW && ic < inC; ic++)
                                {
                                    acc += (sbyte)m.Bytes[m.DataOffset(filter) + ((oc * kH + ky) * kW + kx) * inC + ic]
                                        * ((sbyte)arena[m.DataOffset(input) + ((b * inH + iy) * inW + ix) * inC + ic] + inputOffset);
                                }
                            }
                        }

                        int value = SingleRounding(acc, Word(m, m.ArrayOffset(op, ConvS8.Multipliers), oc), Word(m, m.ArrayOffset(op, ConvS8.Shifts), oc))
                            + m.Param(op, ConvS8.OutputOffset);
                        arena[m.DataOffset(output) + ((b * outH + oy) * outW + ox) * outC + oc] =
                            (byte)Math.Clamp(value, m.Param(op, ConvS8.ActMin), m.Param(op, ConvS8.ActMax));
                    }
                }
            }
        }
    }

    private static void FullyConnected(Model m, int op, byte[] arena)
    {
        int input = m.OpInput(op, 0), filter = m.OpInput(op, 1), output = m.OpOutput(op, 0);
        int outDepth = m.Dim(filter, 0), depth = m.Dim(filter, 1);
        int inputOffset = m.Param(op, FullyConnectedS8.BiasFolded) != 0 ? 0 : m.Param(op, FullyConnectedS8.InputOffset);
        bool hasBias = m.Param(op, FullyConnectedS8.Bias) != EmmFormat.NoArray;
        bool perChannel = m.Param(op, FullyConnectedS8.MultiplierCount) != 1;
        for (int b = 0; b < m.ElementCount(output) / outDepth; b++)
        {
            for (int oc = 0; oc < outDepth; oc++)
            {
                int acc = hasBias ? Word(m, m.ArrayOffset(op, FullyConnectedS8.Bias), oc) : 0;
                for (int d = 0; d < depth; d++)
                {
                    acc += (sbyte)m.Bytes[m.DataOffset(filter) + oc * depth + d] * ((sbyte)arena[m.DataOffset(input) + b * depth + d] + inputOffset);
                }

                int channel = perChannel ? oc : 0;
                int value = SingleRounding(acc, Word(m, m.ArrayOffset(op, FullyConnectedS8.Multipliers), channel),
                    Word(m, m.ArrayOffset(op, FullyConnectedS8.Shifts), channel)) + m.Param(op, FullyConnectedS8.OutputOffset);
                arena[m.DataOffset(output) + b * outDepth + oc] = (byte)Math.Clamp(value, m.Param(op, FullyConnectedS8.ActMin), m.Param(op, FullyConnectedS8.ActMax));
            }
        }
    }
}
