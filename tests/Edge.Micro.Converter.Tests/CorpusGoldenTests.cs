using Edge.Micro.Host.Native;
using Edge.Micro.Host.Verification;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>Every golden case of the corpus runs bit-exact through convert -> load -> invoke, intermediates included.</summary>
public class CorpusGoldenTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        string? root = Corpus.TryRoot();
        foreach (string model in CorpusModels.WithGoldens)
        {
            foreach (string kernels in KernelChoice.Names)
            {
                if (root == null)
                {
                    data.Add(model, "(corpus missing)", kernels);
                    continue;
                }

                string modelDir = Path.Combine(root, model);
                foreach (string dir in GoldenVerifier.FindCases(modelDir))
                {
                    // A model folder that is its own case (int16_activations/) is named ".".
                    data.Add(model, dir == modelDir ? "." : Path.GetFileName(dir), kernels);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Case_matches_TFLM_bit_for_bit_with_every_intermediate(string model, string caseName, string kernels)
    {
        var converted = CorpusModels.Converted(model);
        var runtimeModel = new Model(converted.Emm);
        CaseResult result = GoldenVerifier.RunCase(runtimeModel, Path.Combine(CorpusModels.GoldensPath(model), caseName), NativeLibrary.Require(kernels));
        Assert.True(result.Passed, result.Detail);
        bool hasIntermediates = Directory.Exists(Path.Combine(CorpusModels.GoldensPath(model), caseName, "intermediates"));
        Assert.Equal(hasIntermediates ? runtimeModel.OpCount : 0, result.IntermediatesChecked);
    }

    [SkippableTheory]
    [InlineData(CorpusModels.MicroSpeech, 7312, 336000)]
    [InlineData(CorpusModels.DsCnnS, 24320, 2656768)]
    [InlineData(CorpusModels.Add2Conv, 1984, 13824)]
    [InlineData(CorpusModels.FcTwoHeads, 1488, 576)]
    [InlineData(CorpusModels.FcSoftmax16Quantize, 1056, 320)]
    [InlineData(CorpusModels.LstmA, 3072, 1920 + 20 * 4 * 16 * (12 + 16))]
    [InlineData(CorpusModels.LstmB, 2064, 12 * 4 * 10 * (8 + 10))]
    public void Arena_is_at_most_TFLM_and_at_least_the_lower_bound(string model, int tflmArena, long macs)
    {
        var converted = CorpusModels.Converted(model);
        Assert.True(converted.Graph.ArenaBytes <= tflmArena, $"arena {converted.Graph.ArenaBytes} > TFLM's {tflmArena}");
        Assert.True(converted.Graph.ArenaBytes >= converted.Graph.ArenaLowerBound);
        Assert.Equal(macs, converted.Graph.Ops.Sum(o => o.Macs));
    }

    [SkippableFact]
    public void Micro_speech_labels_the_corpus_clips_features_correctly()
    {
        // Corpus features (TFLM's audio preprocessor) -> label, as micro_speech_test.cc expects.
        string[] labels = ["silence", "unknown", "yes", "no"];
        var model = new Model(CorpusModels.Converted(CorpusModels.MicroSpeech).Emm);
        foreach (var (clip, expected) in new[] { ("yes_1000ms", "yes"), ("no_1000ms", "no"), ("silence_1000ms", "silence"), ("noise_1000ms", "silence") })
        {
            var interpreter = new Interpreter(model);
            interpreter.SetInput(0, File.ReadAllBytes(Corpus.PathOf("micro_speech", "wav_" + clip, "input.bin")), 0);
            interpreter.Invoke();
            var scores = new byte[4];
            interpreter.GetOutput(0, scores, 0);
            int best = Enumerable.Range(0, 4).MaxBy(i => (sbyte)scores[i]);
            Assert.Equal(expected, labels[best]);
        }
    }

    [SkippableTheory]
    [InlineData(CorpusModels.MicroSpeech)]
    [InlineData(CorpusModels.DsCnnS)]
    public void Native_kernels_equal_managed_kernels_on_random_inputs(string model)
    {
        var m = new Model(CorpusModels.Converted(model).Emm);
        var managed = new Interpreter(m, ManagedKernels.Instance);
        var native = new Interpreter(m, NativeLibrary.Require("native"));
        var random = new Random(42);
        var input = new byte[m.ByteSize(m.InputTensor(0))];
        for (int trial = 0; trial < 50; trial++)
        {
            random.NextBytes(input);
            if (m.TensorType(m.InputTensor(0)) == Edge.Micro.Runtime.Format.ElementType.Float32)
            {
                // finite floats in the input's range, as a front end would produce
                for (int i = 0; i < input.Length; i += 4)
                {
                    BitConverter.TryWriteBytes(input.AsSpan(i), (float)(random.NextDouble() * 300 - 150));
                }
            }

            managed.SetInput(0, input, 0);
            native.SetInput(0, input, 0);
            managed.Invoke();
            native.Invoke();
            Assert.Equal(managed.Arena, native.Arena);
        }
    }

    [SkippableFact]
    public void Invoke_allocates_nothing()
    {
        var model = new Model(CorpusModels.Converted(CorpusModels.DsCnnS).Emm);
        var interpreter = new Interpreter(model);
        interpreter.Invoke();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            interpreter.Invoke();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [SkippableFact]
    public void Unsupported_ops_are_named_with_their_index()
    {
        byte[] preprocessor = File.ReadAllBytes(Corpus.PathOf("models", "audio_preprocessor_int8.tflite"));
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(preprocessor, "audio_preprocessor"));
        Assert.Matches(@"^op \d+ \(", e.Message);
        Assert.Contains("is not supported", e.Message);
        Assert.Contains("Supported ops: CONV_2D", e.Message);
    }
}
