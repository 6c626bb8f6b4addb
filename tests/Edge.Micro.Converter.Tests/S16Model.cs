using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// A 16x8 test model (int16 activations with zero point 0, int8 per-channel weights) of the shape a keyword
/// network quantized 16x8 has: input [1,20,16,1] -> CONV_2D 3x3/2 + ReLU -> MAX_POOL 2x2 -> DEPTHWISE_CONV_2D
/// 3x3 -> AVERAGE_POOL (global) -> FULLY_CONNECTED -> [1,4] (-> SOFTMAX, optionally). Seeded random weights; the bias is int64 (what
/// TensorFlow's converter writes for 16x8), int32, or absent, which selects TFLM's 64- or 32-bit accumulator.
/// </summary>
public static class S16Model
{
    /// <summary>The bias kind of every layer.</summary>
    public enum BiasKind { Int64, Int32, None }

    private const byte OptionsConv2D = 1, OptionsDepthwiseConv2D = 2, OptionsPool2D = 5, OptionsFullyConnected = 8, OptionsSoftmax = 9;
    private const sbyte TypeInt64 = 4;

    /// <summary>Input elements.</summary>
    public const int InputSize = 20 * 16;

    /// <summary>The .tflite bytes.</summary>
    public static byte[] Create(int seed, BiasKind biasKind = BiasKind.Int64, bool softmax = false)
    {
        var random = new Random(seed);
        var b = new TfLiteBuilder();
        const float InputScale = 8f / 32768;
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt16, [1, 20, 16, 1], null, [InputScale], [0]);

        float[] convScales = ChannelScales(random, 8, 0.01f);
        int convWeights = b.AddTensor("conv/weights", TfLiteBuilder.TypeInt8, [8, 3, 3, 1], RandomWeights(random, 8 * 9), convScales, new long[8], 0);
        int convBias = Bias(b, random, "conv/bias", InputScale, convScales, biasKind);
        int conv = b.AddTensor("conv", TfLiteBuilder.TypeInt16, [1, 10, 8, 8], null, [0.003f], [0]);
        b.AddOperator(TfLiteOps.Conv2D, 4, Inputs(input, convWeights, convBias), [conv], OptionsConv2D, fb => TfLiteBuilder.Table(fb, 6, () =>
        {
            fb.AddSbyte(0, TfLiteBuilder.PaddingSame, -1);
            fb.AddInt(1, 2, 0);
            fb.AddInt(2, 2, 0);
            fb.AddSbyte(3, TfLiteBuilder.ActivationRelu, -1);
        }));

        int pooled = b.AddTensor("max_pool", TfLiteBuilder.TypeInt16, [1, 5, 4, 8], null, [0.003f], [0]);
        b.AddOperator(TfLiteOps.MaxPool2D, 3, [conv], [pooled], OptionsPool2D, fb => Pool(fb, 2, 2, 2, 2));

        float[] dwScales = ChannelScales(random, 8, 0.01f);
        int dwWeights = b.AddTensor("depthwise/weights", TfLiteBuilder.TypeInt8, [1, 3, 3, 8], RandomWeights(random, 9 * 8), dwScales, new long[8], 3);
        int dwBias = Bias(b, random, "depthwise/bias", 0.003f, dwScales, biasKind);
        int depthwise = b.AddTensor("depthwise", TfLiteBuilder.TypeInt16, [1, 5, 4, 8], null, [0.004f], [0]);
        b.AddOperator(TfLiteOps.DepthwiseConv2D, 5, Inputs(pooled, dwWeights, dwBias), [depthwise], OptionsDepthwiseConv2D, fb => TfLiteBuilder.Table(fb, 7, () =>
        {
            fb.AddSbyte(0, TfLiteBuilder.PaddingSame, -1);
            fb.AddInt(1, 1, 0);
            fb.AddInt(2, 1, 0);
            fb.AddInt(3, 1, 0);
        }));

        int average = b.AddTensor("average_pool", TfLiteBuilder.TypeInt16, [1, 1, 1, 8], null, [0.004f], [0]);
        b.AddOperator(TfLiteOps.AveragePool2D, 3, [depthwise], [average], OptionsPool2D, fb => Pool(fb, 1, 1, 4, 5));

        float[] fcScale = [0.01f];
        int fcWeights = b.AddTensor("fc/weights", TfLiteBuilder.TypeInt8, [4, 8], RandomWeights(random, 32), fcScale, [0]);
        int fcBias = Bias(b, random, "fc/bias", 0.004f, [0.01f, 0.01f, 0.01f, 0.01f], biasKind, perTensor: true);
        int logits = b.AddTensor("logits", TfLiteBuilder.TypeInt16, [1, 4], null, [0.002f], [0]);
        b.AddOperator(TfLiteOps.FullyConnected, 7, Inputs(average, fcWeights, fcBias), [logits], OptionsFullyConnected,
            fb => TfLiteBuilder.Table(fb, 1, () => fb.AddSbyte(0, TfLiteBuilder.ActivationNone, 0)));
        if (!softmax)
        {
            return b.Build("16x8 test model", [input], [logits]);
        }

        int probabilities = b.AddTensor("probabilities", TfLiteBuilder.TypeInt16, [1, 4], null, [1f / 32768], [0]);
        b.AddOperator(TfLiteOps.Softmax, 3, [logits], [probabilities], OptionsSoftmax, fb => TfLiteBuilder.Table(fb, 1, () => fb.AddFloat(0, 1f, 0f)));
        return b.Build("16x8 test model", [input], [probabilities]);
    }

    private static int[] Inputs(int input, int weights, int bias) => bias < 0 ? [input, weights, -1] : [input, weights, bias];

    private static int Pool(Google.FlatBuffers.FlatBufferBuilder fb, int strideW, int strideH, int filterW, int filterH) =>
        TfLiteBuilder.Table(fb, 6, () =>
        {
            fb.AddSbyte(0, TfLiteBuilder.PaddingValid, -1);
            fb.AddInt(1, strideW, 0);
            fb.AddInt(2, strideH, 0);
            fb.AddInt(3, filterW, 0);
            fb.AddInt(4, filterH, 0);
        });

    private static float[] ChannelScales(Random random, int channels, float around) =>
        Enumerable.Range(0, channels).Select(_ => around * (0.5f + (float)random.NextDouble())).ToArray();

    private static byte[] RandomWeights(Random random, int count) => Enumerable.Range(0, count).Select(_ => (byte)(sbyte)random.Next(-127, 128)).ToArray();

    // A bias of about +-1 in real units, quantized with scale input scale x weight scale (per channel).
    private static int Bias(TfLiteBuilder b, Random random, string name, float inputScale, float[] weightScales, BiasKind kind, bool perTensor = false)
    {
        if (kind == BiasKind.None)
        {
            return -1;
        }

        long[] values = weightScales.Select(s => (long)Math.Round((random.NextDouble() * 2 - 1) / (inputScale * s))).ToArray();
        float[] scales = perTensor ? [inputScale * weightScales[0]] : weightScales.Select(s => inputScale * s).ToArray();
        byte[] data = kind == BiasKind.Int64
            ? values.SelectMany(BitConverter.GetBytes).ToArray()
            : values.SelectMany(v => BitConverter.GetBytes((int)v)).ToArray();
        return b.AddTensor(name, kind == BiasKind.Int64 ? TypeInt64 : TfLiteBuilder.TypeInt32, [weightScales.Length], data, scales,
            new long[scales.Length], 0);
    }
}
