using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// A streaming keyword-style test model no corpus model provides: input [1, 40] -> SVDF (int8 state,
/// rank 2) -> SVDF (int16 state and time weights, rank 1) -> output. Weights are seeded random; the
/// quantization parameters are what a TFLite converter would produce for such layers (per-tensor
/// symmetric weights, bias scale = state scale x time-weights scale, asymmetric activations).
/// </summary>
public sealed class SvdfModel
{
    /// <summary>One SVDF layer's TFLite-side numbers, for the test's own reference implementation.</summary>
    public sealed record Layer(
        int InputSize, int Filters, int Memory, int Rank, bool WideState,
        float InputScale, int InputZeroPoint, sbyte[] FeatureWeights, float FeatureScale,
        short[] TimeWeights, float TimeScale, int[] Bias, float StateScale, int StateZeroPoint,
        float OutputScale, int OutputZeroPoint)
    {
        public int Units => Filters / Rank;
    }

    private const byte OptionsSvdf = 6;
    private const int OpSvdf = TfLiteOps.Svdf;

    public required Layer[] Layers { get; init; }

    public required byte[] TfLite { get; init; }

    /// <summary>
    /// Builds the model; <paramref name="stateIsVariable"/> false makes an invalid model (for error tests).
    /// The first layer's int8 state has <paramref name="stateScale"/> and <paramref name="stateZeroPoint"/>;
    /// <paramref name="wideFirstLayer"/> gives it an int16 state and time weights instead (zero point 0).
    /// </summary>
    public static SvdfModel Create(int seed, bool stateIsVariable = true, float stateScale = 0.4f, int stateZeroPoint = 5,
        bool wideFirstLayer = false)
    {
        var random = new Random(seed);
        Layer first = RandomLayer(random, inputSize: 40, filters: 16, memory: 8, rank: 2, wide: wideFirstLayer,
            inputScale: 0.05f, inputZeroPoint: -3, featureScale: 0.01f, timeScale: wideFirstLayer ? 2.5e-5f : 0.01f,
            stateScale: wideFirstLayer ? 0.004f : stateScale, stateZeroPoint: wideFirstLayer ? 0 : stateZeroPoint,
            outputScale: 0.8f, outputZeroPoint: -2);
        Layer second = RandomLayer(random, inputSize: first.Units, filters: 8, memory: 4, rank: 1, wide: true,
            inputScale: first.OutputScale, inputZeroPoint: first.OutputZeroPoint, featureScale: 0.005f, timeScale: 1e-4f,
            stateScale: 0.002f, stateZeroPoint: 0, outputScale: wideFirstLayer ? 2f : 0.8f, outputZeroPoint: 1);

        var b = new TfLiteBuilder();
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt8, [1, first.InputSize], null, [first.InputScale], [first.InputZeroPoint]);
        int current = input;
        int index = 0;
        foreach (Layer layer in new[] { first, second })
        {
            string name = $"svdf{index++}";
            sbyte timeType = layer.WideState ? TfLiteBuilder.TypeInt16 : TfLiteBuilder.TypeInt8;
            int feature = b.AddTensor(name + "/weights_feature", TfLiteBuilder.TypeInt8, [layer.Filters, layer.InputSize],
                (byte[])(Array)layer.FeatureWeights, [layer.FeatureScale], [0]);
            byte[] timeBytes = layer.WideState
                ? layer.TimeWeights.SelectMany(BitConverter.GetBytes).ToArray()
                : layer.TimeWeights.Select(v => (byte)(sbyte)v).ToArray();
            int time = b.AddTensor(name + "/weights_time", timeType, [layer.Filters, layer.Memory], timeBytes, [layer.TimeScale], [0]);
            int bias = b.AddTensor(name + "/bias", TfLiteBuilder.TypeInt32, [layer.Units], TfLiteBuilder.IntBytes(layer.Bias),
                [layer.StateScale * layer.TimeScale], [0]);
            int state = b.AddTensor(name + "/activation_state", timeType, [1, layer.Filters * layer.Memory], null,
                [layer.StateScale], [layer.StateZeroPoint], isVariable: stateIsVariable);
            int output = b.AddTensor(name + "/output", TfLiteBuilder.TypeInt8, [1, layer.Units], null, [layer.OutputScale], [layer.OutputZeroPoint]);
            int rank = layer.Rank;
            b.AddOperator(OpSvdf, 4, [current, feature, time, bias, state], [output], OptionsSvdf, fb => TfLiteBuilder.Table(fb, 3, () =>
            {
                fb.AddInt(0, rank, 0);
                fb.AddSbyte(1, TfLiteBuilder.ActivationRelu, 0);
            }));
            current = output;
        }

        return new SvdfModel { Layers = [first, second], TfLite = b.Build("svdf test model", [input], [current]) };
    }

    private static Layer RandomLayer(Random random, int inputSize, int filters, int memory, int rank, bool wide,
        float inputScale, int inputZeroPoint, float featureScale, float timeScale, float stateScale, int stateZeroPoint,
        float outputScale, int outputZeroPoint)
    {
        var feature = new sbyte[filters * inputSize];
        for (int i = 0; i < feature.Length; i++)
        {
            feature[i] = (sbyte)random.Next(-127, 128);
        }

        int timeLimit = wide ? short.MaxValue : sbyte.MaxValue;
        var time = new short[filters * memory];
        for (int i = 0; i < time.Length; i++)
        {
            time[i] = (short)random.Next(-timeLimit, timeLimit + 1);
        }

        var bias = new int[filters / rank];
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = random.Next(-2000, 2001);
        }

        return new Layer(inputSize, filters, memory, rank, wide, inputScale, inputZeroPoint, feature, featureScale, time, timeScale,
            bias, stateScale, stateZeroPoint, outputScale, outputZeroPoint);
    }
}
