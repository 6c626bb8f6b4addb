using Edge.Micro.Audio.Recognition;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Evaluation;

/// <summary>How a model is measured on a real-speech set.</summary>
/// <param name="Split">The split measured (dev or test).</param>
/// <param name="SnrDb">Signal-to-noise ratios at which the continuous speech is mixed into the split's noise.</param>
/// <param name="Silence">Audio looped before (1 s) and after (2 s) each word clip; empty: digital silence.</param>
/// <param name="Thresholds">The recognizer's detection thresholds (null: the model's stored ones, or TFLM's 200).</param>
/// <param name="HeldOutFraction">
/// When set, only the speakers that a dataset built with this validation share holds out of training (the
/// dataset's stable hash of the speaker's name): on the dev split, a measure of models trained on dev that
/// their training never heard. Null: every speaker of the split.
/// </param>
public sealed record RealSpeechOptions(string Split, int[] SnrDb, short[] Silence, ThresholdChoice? Thresholds = null,
    double? HeldOutFraction = null)
{
    /// <summary>The SNRs the issue's targets name: 20, 10 and 5 dB.</summary>
    public static readonly int[] DefaultSnrDb = [20, 10, 5];

    /// <summary>Whether a recording's speaker is measured.</summary>
    public bool Includes(RealRecording r) =>
        HeldOutFraction is not double share || DatasetBuilder.IsValidationSpeaker(r.Speaker, new DatasetOptions { ValidationFraction = share });
}

/// <summary>One keyword's clips: found (a detection of the keyword), taken for another keyword, and how many.</summary>
public sealed record KeywordRecall(string Keyword, int Found, int OtherKeyword, int Clips)
{
    /// <summary>Share found.</summary>
    public double Recall => Clips == 0 ? 0 : (double)Found / Clips;
}

/// <summary>False detections on the split's continuous speech at one SNR.</summary>
public sealed record StreamAlarms(int SnrDb, int Detections, double Seconds)
{
    /// <summary>False detections per hour of speech.</summary>
    public double PerHour => Seconds == 0 ? 0 : Detections * 3600.0 / Seconds;
}

/// <summary>A model's numbers on one split of a real-speech set.</summary>
/// <param name="Keywords">Per keyword of the model that the set has clips of.</param>
/// <param name="OtherWordsTaken">Other-word clips on which a keyword was detected.</param>
/// <param name="OtherWords">Other-word clips.</param>
/// <param name="Streams">False detections on the continuous speech, per SNR.</param>
/// <param name="SpeechFiles">Continuous-speech files in the stream (those known to hold a keyword left out).</param>
public sealed record RealSpeechResult(KeywordRecall[] Keywords, int OtherWordsTaken, int OtherWords, StreamAlarms[] Streams, int SpeechFiles);

/// <summary>
/// Measures a keyword model on real recordings the way <c>edge-micro detect</c> runs it (front end, model, TFLM's
/// recognizer, the model's thresholds): every word clip streamed with a second of silence before it and two after;
/// the continuous speech of the split, joined with half a second between files, mixed into the split's own noise
/// recordings at each SNR, where every detection is false.
/// </summary>
public static class RealSpeechEvaluation
{
    /// <summary>Silence before each word clip.</summary>
    public const int LeadSamples = SynthesisConstants.SampleRate;

    /// <summary>Silence after each word clip (the recognizer decides up to a second after the word).</summary>
    public const int TrailSamples = 2 * SynthesisConstants.SampleRate;

    /// <summary>Gap between two continuous-speech files.</summary>
    public const int SpeechGapSamples = SynthesisConstants.SampleRate / 2;

    /// <summary>Measures one model.</summary>
    public static RealSpeechResult Evaluate(Model model, string[] labels, IKernelSet kernels, bool nativeFrontEnd, RealSpeechSet set, RealSpeechOptions options)
    {
        if (!set.Splits.Contains(options.Split))
        {
            throw new ArgumentException($"the set has no split '{options.Split}' (it has {string.Join(", ", set.Splits)})");
        }

        string[] keywords = labels.Where(l => !Detector.IgnoredLabels.Contains(l)).ToArray();
        IReadOnlyList<Detection> Run(short[] samples) =>
            Detector.Run(model, samples, kernels, labels, nativeFrontEnd, thresholds: options.Thresholds, withFeatures: false).Detections;

        var recalls = new List<KeywordRecall>();
        foreach (string keyword in keywords)
        {
            RealRecording[] clips = set.Of(options.Split, keyword).Where(options.Includes).ToArray();
            if (clips.Length == 0)
            {
                continue;
            }

            IReadOnlyList<Detection>[] found = RunClips(clips, options.Silence, Run);
            recalls.Add(new KeywordRecall(keyword, found.Count(d => d.Any(x => x.Label == keyword)), found.Count(d => d.Any(x => x.Label != keyword)), clips.Length));
        }

        RealRecording[] others = set.Of(options.Split, "unknown").Where(options.Includes).ToArray();
        int taken = RunClips(others, options.Silence, Run).Count(d => d.Count > 0);

        RealRecording[] speechFiles = set.KeywordFreeSpeech(options.Split).Where(options.Includes).ToArray();
        var streams = new List<StreamAlarms>();
        if (speechFiles.Length > 0)
        {
            (float[] speech, float speechRms) = JoinSpeech(speechFiles);
            float[] noise = JoinNoise(set.Of(options.Split, "noise").ToArray());
            foreach (int snr in options.SnrDb)
            {
                short[] mixed = Mix(speech, speechRms, noise, snr);
                streams.Add(new StreamAlarms(snr, Run(mixed).Count, (double)speech.Length / SynthesisConstants.SampleRate));
            }
        }

        return new RealSpeechResult(recalls.ToArray(), taken, others.Length, streams.ToArray(), speechFiles.Length);
    }

    /// <summary>A word clip with <see cref="LeadSamples"/> of silence before it and <see cref="TrailSamples"/> after.</summary>
    public static short[] Padded(short[] clip, short[] silence)
    {
        var padded = new short[LeadSamples + clip.Length + TrailSamples];
        for (int i = 0; silence.Length > 0 && i < padded.Length; i++)
        {
            padded[i] = silence[i % silence.Length];
        }

        clip.CopyTo(padded, LeadSamples);
        return padded;
    }

    private static IReadOnlyList<Detection>[] RunClips(RealRecording[] clips, short[] silence, Func<short[], IReadOnlyList<Detection>> run)
    {
        var results = new IReadOnlyList<Detection>[clips.Length];
        Parallel.For(0, clips.Length, i => results[i] = run(Padded(WavReader.Read(clips[i].Path).Samples, silence)));
        return results;
    }

    // The files one after another with a gap between; the RMS is that of the speech itself, not of the gaps.
    private static (float[] Speech, float Rms) JoinSpeech(RealRecording[] files)
    {
        var speech = new List<float>();
        double energy = 0;
        long count = 0;
        foreach (RealRecording file in files)
        {
            short[] samples = WavReader.Read(file.Path).Samples;
            foreach (short s in samples)
            {
                float x = s / 32768f;
                speech.Add(x);
                energy += x * x;
            }

            count += samples.Length;
            speech.AddRange(new float[SpeechGapSamples]);
        }

        return (speech.ToArray(), (float)Math.Sqrt(energy / Math.Max(1, count)));
    }

    // Every noise recording at the same RMS, one after another (looped under the speech).
    private static float[] JoinNoise(RealRecording[] files)
    {
        if (files.Length == 0)
        {
            throw new InvalidDataException("the split has continuous speech but no noise recording to mix it into");
        }

        var noise = new List<float>();
        foreach (RealRecording file in files)
        {
            float[] samples = Signal.ReadWav(file.Path);
            Signal.NormalizeRms(samples, 1f);
            noise.AddRange(samples);
        }

        return noise.ToArray();
    }

    private static short[] Mix(float[] speech, float speechRms, float[] noise, int snrDb)
    {
        float gain = speechRms * (float)Math.Pow(10, -snrDb / 20.0);
        var mixed = new short[speech.Length];
        for (int i = 0; i < speech.Length; i++)
        {
            mixed[i] = Signal.ToPcm16(speech[i] + gain * noise[i % noise.Length]);
        }

        return mixed;
    }
}
