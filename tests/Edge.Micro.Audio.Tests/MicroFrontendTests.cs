using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Converter.TfLite;
using Edge.Micro.Host.Audio;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Audio.Tests;

/// <summary>
/// The micro front end against TFLM's audio_preprocessor: the tables the project computes equal the constants
/// in the reference model, and every stage of every frame of every corpus clip equals TFLM's per-op output.
/// </summary>
public class MicroFrontendTests
{
    private static readonly MicroFrontendTables Tables = MicroFrontendTableBuilder.Build(new MicroFrontendConfig());

    public static TheoryData<string> Clips() => new("wav_yes_1000ms", "wav_no_1000ms", "wav_silence_1000ms", "wav_noise_1000ms", "wav_yes_30ms", "wav_no_30ms");

    private static short[] Int16(byte[] b) => Enumerable.Range(0, b.Length / 2).Select(i => BitConverter.ToInt16(b, 2 * i)).ToArray();

    private static TfTensor Constant(TfLiteModel m, string name) => m.Tensors.Single(t => t.Name == name);

    [SkippableFact]
    public void Computed_tables_equal_the_reference_models_constants()
    {
        var model = TfLiteModel.Parse(File.ReadAllBytes(Corpus.PathOf("models", "audio_preprocessor_int8.tflite")));
        Assert.Equal(Int16(Constant(model, "Const").Data!), Tables.Window);
        Assert.Equal(Int16(Constant(model, "signal_pcan/Const").Data!), Tables.PcanGainLut);
        Assert.Equal(Int16(Constant(model, "signal_filter_bank/Const").Data!), Tables.Weights);
        Assert.Equal(Int16(Constant(model, "signal_filter_bank/Const_1").Data!), Tables.Unweights);
        Assert.Equal(Int16(Constant(model, "signal_filter_bank/Const_2").Data!), Tables.ChannelFrequencyStarts);
        Assert.Equal(Int16(Constant(model, "signal_filter_bank/Const_3").Data!), Tables.ChannelWeightStarts);
        Assert.Equal(Int16(Constant(model, "signal_filter_bank/Const_4").Data!), Tables.ChannelWidths);
    }

    [SkippableTheory]
    [MemberData(nameof(Clips))]
    public void Every_stage_of_every_frame_matches_TFLM(string clip)
    {
        string dir = Corpus.PathOf("audio_preprocessor", clip);
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", clip["wav_".Length..] + ".wav"));
        short[] samples = Int16(wav[44..]);
        byte[] Golden(string file) => File.ReadAllBytes(Path.Combine(dir, "per_op", file));
        byte[] window = Golden("op000_t019.bin"), scaled = Golden("op002_t021.bin"), scaleBits = Golden("op002_t022.bin");
        byte[] rfft = Golden("op003_t023.bin"), energy = Golden("op007_t027.bin"), filterbank = Golden("op009_t029.bin");
        byte[] sqrt = Golden("op010_t030.bin"), reduced = Golden("op011_t031.bin"), noise = Golden("op011_t032.bin");
        byte[] pcan = Golden("op012_t033.bin"), log = Golden("op013_t034.bin");
        byte[] features = File.ReadAllBytes(Path.Combine(dir, "features_int8.bin"));

        var fe = new MicroFrontend(Tables);
        int frames = features.Length / 40;
        var out8 = new sbyte[40];
        for (int f = 0; f < frames; f++)
        {
            fe.ProcessFrame(samples, f * 320, out8, 0);
            void Check<T>(string stage, T[] actual, byte[] golden, int bytesPerFrame, Func<byte[], int, T> read)
            {
                for (int i = 0; i < actual.Length; i++)
                {
                    T expected = read(golden, f * bytesPerFrame + i * (bytesPerFrame / actual.Length));
                    Assert.True(EqualityComparer<T>.Default.Equals(expected, actual[i]), $"{clip} frame {f} {stage}[{i}]: expected {expected}, got {actual[i]}");
                }
            }

            Check("window", fe.Windowed, window, 960, (b, o) => BitConverter.ToInt16(b, o));
            Assert.Equal(BitConverter.ToInt32(scaleBits, 4 * f), fe.FftScaleBits);
            Check("fft input", fe.FftInput[..480], scaled, 960, (b, o) => BitConverter.ToInt16(b, o));
            Check("rfft", fe.Spectrum, rfft, 1028, (b, o) => BitConverter.ToInt16(b, o));
            Check("energy", fe.Energy, energy, 1028, (b, o) => BitConverter.ToUInt32(b, o));
            Check("filterbank", fe.Filterbank, filterbank, 320, (b, o) => BitConverter.ToUInt64(b, o));
            Check("square root", fe.SquareRoot, sqrt, 160, (b, o) => BitConverter.ToUInt32(b, o));
            Check("spectral subtraction", fe.Reduced, reduced, 160, (b, o) => BitConverter.ToUInt32(b, o));
            Check("noise estimate", fe.NoiseEstimate, noise, 160, (b, o) => BitConverter.ToUInt32(b, o));
            Check("pcan", fe.Pcan, pcan, 160, (b, o) => BitConverter.ToUInt32(b, o));
            Check("log", fe.Log, log, 80, (b, o) => BitConverter.ToInt16(b, o));
            Check("features", out8, features, 40, (b, o) => (sbyte)b[o]);
        }
    }
}

/// <summary>The C tables checked in for firmware images are what the table builder produces now.</summary>
public class FrontendTablesFileTests
{
    [Fact]
    public void Checked_in_C_tables_are_current()
    {
        string path = Path.Combine(Corpus.RepoRoot, "interop", "frontend", "micro_frontend_tables.c");
        string expected = FrontendTablesCEmitter.MicroSpeechSource();
        Assert.True(File.ReadAllText(path) == expected, "interop/frontend/micro_frontend_tables.c is stale: run scripts/update-frontend-tables.sh");
    }

    [Fact]
    public void Checked_in_CSharp_tables_are_current_and_equal_the_builders()
    {
        string path = Path.Combine(Corpus.RepoRoot, "firmware", "Edge.Micro.Audio", "FrontEnd", "MicroSpeechFrontendTables.cs");
        Assert.True(File.ReadAllText(path) == FrontendTablesCSharpEmitter.MicroSpeechSource(), "MicroSpeechFrontendTables.cs is stale: run scripts/update-frontend-tables.sh");
        MicroFrontendTables built = MicroFrontendTableBuilder.Build(new MicroFrontendConfig()), shipped = MicroSpeechFrontendTables.Create();
        Assert.Equal(built.Weights, shipped.Weights);
        Assert.Equal(built.Twiddles, shipped.Twiddles);
        Assert.Equal(built.PcanGainLut, shipped.PcanGainLut);
    }
}

/// <summary>The golden case the on-device tests (tests/Edge.Micro.DeviceTests) embed is what the front end computes.</summary>
public class OnDeviceGoldenTests
{
    [Fact]
    public void Triangle_tone_features_equal_the_on_device_tests_expectation()
    {
        var samples = new short[480];
        for (int i = 0; i < samples.Length; i++)
        {
            int phase = (i * 1000 * 16) % 256;
            samples[i] = (short)((phase < 128 ? phase : 255 - phase) * 125 - 8000);
        }

        var fe = new MicroFrontend(MicroSpeechFrontendTables.Create());
        var features = new sbyte[40];
        fe.ProcessFrame(samples, 0, features, 0);
        string source = File.ReadAllText(Path.Combine(Corpus.RepoRoot, "tests", "Edge.Micro.DeviceTests", "OnDeviceTests.cs"));
        Assert.Contains(string.Join(", ", features[..20]) + ",", source);
        Assert.Contains(string.Join(", ", features[20..]) + ",", source);
    }
}
