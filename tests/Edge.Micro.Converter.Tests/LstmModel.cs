using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// A random int8 LSTM in TFLM's 8x8->16 form with two batches, batch-major ([2,T,I]) or time-major ([T,2,I]),
/// for what the corpus's batch-1, batch-major models cannot show: the layouts and batches kept apart.
/// </summary>
public static class LstmModel
{
    public const int Batches = 2, Steps = 5, InputSize = 6, Units = 7;

    private const int OpLstm = 44;
    private const byte OptionsLstm = 71;
    private const sbyte ActivationTanh = 4;

    public static byte[] Create(int seed, bool timeMajor, float cellClip = 0.5f, float cellStateScale = 1f / 4096)
    {
        var random = new Random(seed);
        var b = new TfLiteBuilder();
        int[] sequence = timeMajor ? [Steps, Batches, InputSize] : [Batches, Steps, InputSize];
        int[] outputShape = timeMajor ? [Steps, Batches, Units] : [Batches, Steps, Units];
        const float inputScale = 0.03f, hiddenScale = 0.008f;
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt8, sequence, null, [inputScale], [-4]);
        int[] inputs = Enumerable.Repeat(-1, 24).ToArray();
        inputs[0] = input;
        string[] gates = ["input", "forget", "cell", "output"];
        for (int g = 0; g < 4; g++)
        {
            float w = 0.004f + 0.001f * g, r = 0.006f + 0.0005f * g;
            inputs[1 + g] = b.AddTensor($"input_to_{gates[g]}", TfLiteBuilder.TypeInt8, [Units, InputSize], RandomInt8(random, Units * InputSize), [w], [0]);
            inputs[5 + g] = b.AddTensor($"recurrent_to_{gates[g]}", TfLiteBuilder.TypeInt8, [Units, Units], RandomInt8(random, Units * Units), [r], [0]);
            int range = (int)(0.4f / (inputScale * w));
            int[] bias = Enumerable.Range(0, Units).Select(_ => random.Next(-range, range + 1)).ToArray();
            inputs[12 + g] = b.AddTensor($"{gates[g]}_bias", TfLiteBuilder.TypeInt32, [Units], TfLiteBuilder.IntBytes(bias), [inputScale * w], [0]);
        }

        inputs[18] = b.AddTensor("hidden_state", TfLiteBuilder.TypeInt8, [Batches, Units], null, [hiddenScale], [3], isVariable: true);
        inputs[19] = b.AddTensor("cell_state", TfLiteBuilder.TypeInt16, [Batches, Units], null, [cellStateScale], [0], isVariable: true);
        int output = b.AddTensor("output", TfLiteBuilder.TypeInt8, outputShape, null, [hiddenScale], [3]);
        b.AddOperator(OpLstm, 1, inputs, [output], OptionsLstm, fb => TfLiteBuilder.Table(fb, 4, () =>
        {
            fb.AddSbyte(0, ActivationTanh, 0);
            fb.AddFloat(1, cellClip, 0);
            fb.AddBool(3, timeMajor, false);
        }));
        return b.Build("lstm test model", [input], [output]);
    }

    private static byte[] RandomInt8(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (byte)(sbyte)random.Next(-127, 128)).ToArray();
}
