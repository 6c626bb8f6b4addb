using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Audio.Recognition;
using Edge.Micro.Audio.Streaming;
using Edge.Micro.Converter;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Audio.Tests;

/// <summary>The streaming path end to end: corpus clips and an assembled stream give exactly the keywords, at the right times.</summary>
public class DetectionTests
{
    private static Model MicroSpeech() =>
        new(ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech").Emm);

    private static short[] Clip(string name)
    {
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", name + ".wav"));
        return Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BitConverter.ToInt16(wav, 44 + 2 * i)).ToArray();
    }

    // A streaming keyword model: one frame of 40 int8 features in, SVDF (state of 49 frames per filter) to 4 scores.
    private static Model StreamingSvdf()
    {
        var random = new Random(3);
        byte[] Weights(int n) => Enumerable.Range(0, n).Select(_ => (byte)(sbyte)random.Next(-127, 128)).ToArray();
        var b = new Converter.TfLite.TfLiteBuilder();
        int input = b.AddTensor("frame", Converter.TfLite.TfLiteBuilder.TypeInt8, [1, 40], null, [0.1f], [-128]);
        int feature = b.AddTensor("weights_feature", Converter.TfLite.TfLiteBuilder.TypeInt8, [4, 40], Weights(160), [0.005f], [0]);
        int time = b.AddTensor("weights_time", Converter.TfLite.TfLiteBuilder.TypeInt8, [4, 49], Weights(196), [0.01f], [0]);
        int state = b.AddTensor("state", Converter.TfLite.TfLiteBuilder.TypeInt8, [1, 4 * 49], null, [0.2f], [0], isVariable: true);
        int scores = b.AddTensor("scores", Converter.TfLite.TfLiteBuilder.TypeInt8, [1, 4], null, [0.05f], [-128]);
        b.AddOperator(Converter.TfLite.TfLiteOps.Svdf, 4, [input, feature, time, -1, state], [scores], 6,
            fb => Converter.TfLite.TfLiteBuilder.Table(fb, 3, () => fb.AddInt(0, 1, 0)));
        return new Model(ModelConverter.Convert(b.Build("streaming", [input], [scores]), "streaming").Emm);
    }

    [Fact]
    public void A_streaming_model_takes_one_frame_per_inference_and_a_windowed_one_a_whole_window()
    {
        Model streaming = StreamingSvdf();
        Assert.Equal(1, KeywordSpotter.WindowFramesFor(streaming, 40));
        Assert.Throws<ArgumentException>(() => KeywordSpotter.WindowFramesFor(streaming, 30));

        // Two seconds of noise: an inference, and so a score update, for every 20 ms frame from the first one.
        var random = new Random(1);
        short[] samples = Enumerable.Range(0, 32000).Select(_ => (short)random.Next(-3000, 3000)).ToArray();
        DetectionRun run = Detector.Run(streaming, samples, ManagedKernels.Instance, Detector.MicroSpeechLabels, nativeFrontEnd: false);
        Assert.Equal(run.Frames, run.Scores.Count);
        Assert.True(run.Scores.Select(s => s.Averages[2]).Distinct().Count() > 3, "the scores do not follow the audio");
    }

    [SkippableTheory]
    [InlineData("yes_1000ms", "yes")]
    [InlineData("no_1000ms", "no")]
    [InlineData("silence_1000ms", null)]
    [InlineData("noise_1000ms", null)]
    public void Clip_followed_by_silence_gives_its_keyword_once(string clip, string? expected)
    {
        short[] samples = [.. Clip(clip), .. new short[16000]];
        DetectionRun run = Detector.Run(MicroSpeech(), samples, ManagedKernels.Instance, Detector.MicroSpeechLabels, nativeFrontEnd: false);
        Assert.Equal(expected == null ? [] : new[] { expected }, run.Detections.Select(d => d.Label));
    }

    [SkippableFact]
    public void Long_stream_gives_exactly_its_keywords_at_the_right_times()
    {
        // 12 s: background (the corpus silence clip) with yes, no, yes, no spoken at known times, and corpus noise.
        short[] background = Clip("silence_1000ms");
        var stream = new short[12 * 16000];
        for (int i = 0; i < stream.Length; i++)
        {
            stream[i] = background[i % background.Length];
        }

        var placed = new (string Clip, int AtMs)[] { ("yes_1000ms", 1000), ("no_1000ms", 4000), ("noise_1000ms", 6000), ("yes_1000ms", 8000), ("no_1000ms", 10500) };
        foreach (var (clip, atMs) in placed)
        {
            Clip(clip).CopyTo(stream, atMs * 16);
        }

        // micro_speech's averaged "no" peaks near 190 over a real noise floor, below TFLM's default threshold of 200:
        // the threshold is a per-model setting (console: threshold no 180), here 180 for every label.
        DetectionRun run = Detector.Run(MicroSpeech(), stream, ManagedKernels.Instance, Detector.MicroSpeechLabels, nativeFrontEnd: false, thresholds: ThresholdChoice.Every(180));
        Assert.True(run.Detections.Select(d => d.Label).SequenceEqual(["yes", "no", "yes", "no"]), string.Join(", ", run.Detections));
        var expectedStarts = new[] { 1000, 4000, 8000, 10500 };
        for (int i = 0; i < expectedStarts.Length; i++)
        {
            // Detected while the clip is in the 1 s window: after the word starts, before it leaves the window.
            Assert.InRange(run.Detections[i].TimeMs, expectedStarts[i], expectedStarts[i] + 2000);
        }
    }

    [SkippableFact]
    public void Chunk_size_does_not_change_the_features()
    {
        short[] samples = [.. Clip("yes_1000ms"), .. Clip("no_1000ms")];
        byte[] Features(int chunk)
        {
            var stream = new FeatureStream(new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig())), 320, 49);
            for (int i = 0; i < samples.Length; i += chunk)
            {
                stream.Push(samples, i, Math.Min(chunk, samples.Length - i), null);
            }

            var window = new byte[stream.WindowBytes];
            stream.CopyWindow(window, 0);
            return window;
        }

        byte[] reference = Features(samples.Length);
        foreach (int chunk in new[] { 1, 7, 160, 320, 481, 4096 })
        {
            Assert.Equal(reference, Features(chunk));
        }
    }

    [Fact]
    public void Pushing_audio_allocates_nothing_after_start_up()
    {
        var stream = new FeatureStream(new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig())), 320, 49);
        var chunk = new short[512];
        new Random(1).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan()));
        stream.Push(chunk, 0, chunk.Length, null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            stream.Push(chunk, 0, chunk.Length, null);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}

/// <summary>The recognizer's rules, with hand-made score sequences.</summary>
public class KeywordRecognizerTests
{
    private static readonly string[] Labels = ["silence", "unknown", "yes", "no"];

    private static byte[] Scores(int silence, int unknown, int yes, int no) => [(byte)(silence - 128), (byte)(unknown - 128), (byte)(yes - 128), (byte)(no - 128)];

    [Fact]
    public void Fires_once_when_the_average_passes_the_threshold_and_suppresses_repeats()
    {
        var r = new KeywordRecognizer(Labels, ["silence", "unknown"]);
        var fired = new List<(int Label, long Time)>();
        for (long t = 0; t <= 3000; t += 100)
        {
            int label = r.Process(Scores(0, 0, 255, 0), 0, t);
            if (label >= 0)
            {
                fired.Add((label, t));
            }
        }

        // The first decision needs 3 results and a quarter window (250 ms); after that, repeats wait 1500 ms.
        Assert.Equal([(2, 300L), (2, 1900L)], fired);
    }

    [Fact]
    public void Ignored_labels_never_fire_and_thresholds_change_live()
    {
        var r = new KeywordRecognizer(Labels, ["silence", "unknown"]);
        for (long t = 0; t <= 1000; t += 100)
        {
            Assert.Equal(-1, r.Process(Scores(255, 0, 0, 0), 0, t));
        }

        r.Reset();
        r.SetThreshold(3, 250);
        for (long t = 0; t <= 1000; t += 100)
        {
            Assert.Equal(-1, r.Process(Scores(0, 0, 0, 240), 0, t));
        }

        r.SetThreshold(3, 230);
        Assert.Equal(3, r.Process(Scores(0, 0, 0, 240), 0, 1100));
        Assert.Equal(240, r.LastScore);
    }

    [Fact]
    public void Out_of_order_results_are_refused()
    {
        var r = new KeywordRecognizer(Labels, []);
        r.Process(Scores(0, 0, 0, 0), 0, 1000);
        Assert.Throws<ArgumentException>(() => r.Process(Scores(0, 0, 0, 0), 0, 500));
    }
}
