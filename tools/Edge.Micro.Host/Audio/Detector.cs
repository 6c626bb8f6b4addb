using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Audio.Recognition;
using Edge.Micro.Audio.Streaming;
using Edge.Micro.Host.Native;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Host.Audio;

/// <summary>One detection.</summary>
public sealed record Detection(string Label, long TimeMs, int Score);

/// <summary>Everything a detection run produced (features and scores for plots).</summary>
/// <remarks>Features: every frame's features (float MFCCs are shown rounded), for the spectrogram; frame f ends at (f * 320 + window) samples.</remarks>
public sealed record DetectionRun(IReadOnlyList<Detection> Detections, int Frames, string[] Labels, List<(long TimeMs, int[] Averages)> Scores, List<sbyte[]> Features, double FrameMs, double FirstFrameEndMs);

/// <summary>
/// Runs the streaming wake-word path on whole recordings on the desktop: the same FeatureStream, KeywordSpotter
/// and KeywordRecognizer as the device, with the managed or native front end and kernels.
/// </summary>
public static class Detector
{
    /// <summary>micro_speech's labels (TFLM micro_model_settings.h).</summary>
    public static readonly string[] MicroSpeechLabels = ["silence", "unknown", "yes", "no"];

    /// <summary>Arm's DS-CNN labels.</summary>
    public static readonly string[] DsCnnLabels = ["silence", "unknown", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"];

    /// <summary>Labels that never produce detection events.</summary>
    public static readonly string[] IgnoredLabels = ["silence", "unknown", "_silence_", "_unknown_"];

    /// <summary>Labels for a model: the given list, or a known model's by output count.</summary>
    public static string[] LabelsFor(Model model, string[]? labels)
    {
        int outputs = model.ElementCount(model.OutputTensor(0));
        string[] chosen = labels ?? outputs switch
        {
            4 => MicroSpeechLabels,
            12 => DsCnnLabels,
            _ => throw new ArgumentException($"the model has {outputs} outputs; give its labels with --labels a,b,c"),
        };
        if (chosen.Length != outputs)
        {
            throw new ArgumentException($"{chosen.Length} labels given for a model with {outputs} outputs");
        }

        return chosen;
    }

    /// <summary>The front end a model needs: recorded by convert --frontend, else inferred from its input.</summary>
    public static int FrontEndOf(Model model)
    {
        if (model.FrontEnd != EmmFormat.FrontEndNone)
        {
            return model.FrontEnd;
        }

        int input = model.InputTensor(0);
        // Whole frames of the micro front end's 40 int8 channels (49 for a window, 1 for a streaming model) or of
        // the MFCC front end's 10 float coefficients.
        if (model.TensorType(input) == ElementType.Int8 && model.ElementCount(input) % 40 == 0)
        {
            return EmmFormat.FrontEndMicro;
        }

        if (model.TensorType(input) == ElementType.Float32 && model.ElementCount(input) % 10 == 0)
        {
            return EmmFormat.FrontEndMfcc;
        }

        throw new ArgumentException("cannot tell which front end the model needs: convert it with --frontend micro|mfcc");
    }

    /// <summary>
    /// Runs a recording through the pipeline at the model's stored thresholds unless <paramref name="thresholds"/>
    /// says otherwise; <paramref name="withFeatures"/> false leaves the run's feature frames (a second front-end
    /// pass, for plots) empty.
    /// </summary>
    public static DetectionRun Run(Model model, short[] samples, IKernelSet kernels, string[] labels, bool nativeFrontEnd, int inferenceEveryFrames = 1,
        ThresholdChoice? thresholds = null, bool withFeatures = true)
    {
        var config = new MicroFrontendConfig();
        IFeatureExtractor extractor = FrontEndOf(model) == EmmFormat.FrontEndMfcc
            ? new MfccFrontEnd(MfccTableBuilder.Build())
            : nativeFrontEnd ? new NativeMicroFrontend() : new MicroFrontend(MicroFrontendTableBuilder.Build(config));
        int stride = config.StrideMs * config.SampleRate / 1000; // 20 ms for both front ends
        var stream = new FeatureStream(extractor, stride, KeywordSpotter.WindowFramesFor(model, extractor.FrameBytes));
        var recognizer = new KeywordRecognizer(labels, IgnoredLabels);
        (thresholds ?? ThresholdChoice.ModelDefaults).Apply(model, recognizer);

        var spotter = new KeywordSpotter(new Interpreter(model, kernels), stream, recognizer, config.SampleRate, stride, extractor.FrameSamples)
        {
            InferenceEveryFrames = inferenceEveryFrames,
        };
        var listener = new Collector(recognizer);
        const int Chunk = 1000; // any chunk length works; 1000 samples exercises frame boundaries inside chunks
        for (int i = 0; i < samples.Length; i += Chunk)
        {
            spotter.Push(samples, i, Math.Min(Chunk, samples.Length - i), listener);
        }

        return new DetectionRun(listener.Detections, (int)stream.Frames, labels, listener.Scores, withFeatures ? AllFrames(model, samples, stride) : [],
            stride * 1000.0 / config.SampleRate, extractor.FrameSamples * 1000.0 / config.SampleRate);
    }

    // Features of every frame for the plot (a separate pass with a fresh managed front end).
    private static List<sbyte[]> AllFrames(Model model, short[] samples, int stride)
    {
        bool mfcc = FrontEndOf(model) == EmmFormat.FrontEndMfcc;
        IFeatureExtractor fe = mfcc ? new MfccFrontEnd(MfccTableBuilder.Build()) : new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
        var frames = new List<sbyte[]>();
        var bytes = new byte[fe.FrameBytes];
        for (int offset = 0; offset + fe.FrameSamples <= samples.Length; offset += stride)
        {
            fe.Extract(samples, offset, bytes, 0);
            frames.Add(mfcc
                ? Enumerable.Range(0, bytes.Length / 4).Select(i => (sbyte)Math.Clamp(BitConverter.ToSingle(bytes, 4 * i), -128, 127)).ToArray()
                : (sbyte[])(Array)bytes.ToArray());
        }

        return frames;
    }

    private sealed class Collector(KeywordRecognizer recognizer) : IKeywordListener
    {
        public readonly List<Detection> Detections = [];
        public readonly List<(long, int[])> Scores = [];

        void IKeywordListener.Scores(long timeMs, byte[] scores, int offset)
        {
            var averages = new int[recognizer.Labels.Length];
            for (int i = 0; i < averages.Length; i++)
            {
                averages[i] = recognizer.AverageScore(i);
            }

            Scores.Add((timeMs, averages));
        }

        public void Detected(string label, int score, long timeMs) => Detections.Add(new Detection(label, timeMs, score));
    }
}
