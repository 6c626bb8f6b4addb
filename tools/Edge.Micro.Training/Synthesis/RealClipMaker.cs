using System.Numerics.Tensors;
using Edge.Micro.Host.Audio;

namespace Edge.Micro.Training.Synthesis;

/// <summary>
/// Makes dataset clips (warm-up plus one second) from real recordings: a spoken word placed at a random point
/// of the second, with speed perturbation, speaker perturbation (<see cref="SpeakerPerturbation"/>), one of
/// the real noise recordings at 0-30 dB SNR (or none but a faint one) and a random level; a random second of
/// continuous speech (an unknown clip, the speech before it as warm-up); or a second of real noise (silence).
/// Recordings are read once and kept. Thread-safe after construction.
/// </summary>
public sealed class RealClipMaker
{
    private readonly Dictionary<string, float[]> _audio = [];
    private readonly float[][] _noise;

    private readonly double _edgeShare;

    /// <summary>Reads every recording of <paramref name="recordings"/>; <paramref name="edgeShare"/> as <see cref="ClipSynthesizer.WordStart"/>.</summary>
    public RealClipMaker(RealRecordings recordings, double edgeShare = 0)
    {
        _edgeShare = edgeShare;
        foreach (string path in recordings.Words.Select(w => w.Path).Concat(recordings.Speech.Select(s => s.Path)).Concat(recordings.Noise))
        {
            _audio[path] = ReadFloats(path);
        }

        _noise = recordings.Noise.Select(p =>
        {
            float[] n = (float[])_audio[p].Clone();
            Signal.NormalizeRms(n, 1f);
            return n;
        }).ToArray();
    }

    /// <summary>Seconds of audio in a recording.</summary>
    public double Seconds(string path) => (double)_audio[path].Length / SynthesisConstants.SampleRate;

    /// <summary>The noise recordings, each at RMS 1.</summary>
    public IReadOnlyList<float[]> NoiseRecordings => _noise;

    /// <summary>A word recording as a clip.</summary>
    public (short[] Samples, ClipInfo Info) Word(int index, int label, string labelName, bool validation, RealWord word, Random rng)
    {
        var effects = new List<string>();
        float[] speech = _audio[word.Path];
        double step = rng.NextDouble() < 0.7 ? 0.9 + 0.2 * rng.NextDouble() : 1.0;
        if (step != 1.0)
        {
            speech = Resampler.Resample(speech, step);
            effects.Add($"speed{step:F2}");
        }

        if (rng.NextDouble() < 0.5)
        {
            double warp = SpeakerPerturbation.RandomWarp(rng);
            speech = SpeakerPerturbation.WarpFormants(speech, warp);
            effects.Add($"vtlp{warp:F2}");
        }

        // The word without the recording's quiet lead-in and tail, placed as synthetic words are.
        speech = Loudest(Signal.TrimSilence(speech, 0.05f), SynthesisConstants.ClipSamples - 800);
        var mix = new float[ClipSynthesizer.TotalSamples];
        int at = SynthesisConstants.WarmUpSamples + ClipSynthesizer.WordStart(speech.Length, rng, _edgeShare);
        if (at < SynthesisConstants.WarmUpSamples)
        {
            effects.Add(ClipSynthesizer.EdgeEffect);
        }

        for (int i = Math.Max(0, -at); i < speech.Length && at + i < mix.Length; i++)
        {
            mix[at + i] = speech[i];
        }

        int snr = AddNoise(mix, Signal.Rms(speech), rng, out string noiseName);
        Signal.SetRandomPeak(mix, rng);
        return (ToPcm(mix), new ClipInfo(index, label, labelName, validation, word.Word, $"real:{word.Speaker}", 0, 0, noiseName, snr, string.Join('+', effects)));
    }

    /// <summary>A random second of continuous speech, the speech before it as warm-up (an unknown clip).</summary>
    public (short[] Samples, ClipInfo Info) SpeechWindow(int index, int label, string labelName, bool validation, RealSpeech file, Random rng)
    {
        float[] speech = _audio[file.Path];
        int end = SynthesisConstants.ClipSamples + rng.Next(Math.Max(1, speech.Length - SynthesisConstants.ClipSamples + 1));
        var mix = new float[ClipSynthesizer.TotalSamples];
        for (int i = 0; i < mix.Length; i++)
        {
            int source = end - mix.Length + i;
            mix[i] = source >= 0 && source < speech.Length ? speech[source] : 0;
        }

        int snr = AddNoise(mix, Signal.Rms(mix), rng, out string noiseName);
        Signal.SetRandomPeak(mix, rng);
        return (ToPcm(mix), new ClipInfo(index, label, labelName, validation, $"[{Path.GetFileName(file.Path)} at {(end - SynthesisConstants.ClipSamples) / (double)SynthesisConstants.SampleRate:F1} s]",
            $"real:{file.Speaker}", 0, 0, noiseName, snr, "speech"));
    }

    /// <summary>
    /// The room a word was recorded in, without the word (a silence clip): the quietest 150 ms of the recording,
    /// looped with short crossfades from random points, at the recording's own level +-6 dB, so that the silence
    /// class holds real quiet rooms and not only noise (otherwise a quiet room is heard only around words).
    /// </summary>
    public (short[] Samples, ClipInfo Info) RoomTone(int index, int label, string labelName, bool validation, RealWord word, Random rng)
    {
        const int Piece = 2400, Fade = 160;
        float[] audio = _audio[word.Path];
        int quietest = 0;
        double least = double.MaxValue;
        for (int start = 0; start + Piece <= audio.Length; start += Piece / 4)
        {
            double energy = 0;
            for (int i = start; i < start + Piece; i++)
            {
                energy += audio[i] * audio[i];
            }

            if (energy < least)
            {
                least = energy;
                quietest = start;
            }
        }

        int length = Math.Min(Piece, audio.Length);
        var mix = new float[ClipSynthesizer.TotalSamples];
        for (int at = 0; at < mix.Length; at += length - Fade)
        {
            int offset = rng.Next(Math.Max(1, length / 2));
            for (int i = 0; i < length && at + i < mix.Length; i++)
            {
                float x = audio[quietest + (offset + i) % length];
                float ramp = i < Fade && at > 0 ? (float)i / Fade : 1f;
                mix[at + i] = mix[at + i] * (1 - ramp) + x * ramp;
            }
        }

        float gain = (float)Math.Pow(10, (-6 + 12 * rng.NextDouble()) / 20);
        TensorPrimitives.Multiply(mix, gain, mix);
        return (ToPcm(mix), new ClipInfo(index, label, labelName, validation, "", $"real:{word.Speaker}", 0, 0, "room", 0, "roomtone"));
    }

    /// <summary>A second of one real noise recording at a level from near digital silence to loud (a silence clip).</summary>
    public (short[] Samples, ClipInfo Info) NoiseWindow(int index, int label, string labelName, Random rng)
    {
        int n = rng.Next(_noise.Length);
        float[] mix = Signal.LoopedSegment(_noise[n], ClipSynthesizer.TotalSamples, rng);
        Signal.NormalizeRms(mix, (float)Math.Pow(10, (-75 + 55 * rng.NextDouble()) / 20));
        return (ToPcm(mix), new ClipInfo(index, label, labelName, false, "", "", 0, 0, $"recorded{n}", 0, ""));
    }

    /// <summary>Adds a segment of a real noise recording at an SNR of 0-30 dB under <paramref name="speechRms"/> (in one clip of five, a faint one at 40-50 dB).</summary>
    public int AddNoise(float[] mix, float speechRms, Random rng, out string name)
    {
        if (_noise.Length == 0)
        {
            name = "none";
            return 99;
        }

        int n = rng.Next(_noise.Length);
        int snr = rng.Next(5) == 0 ? 40 + rng.Next(11) : rng.Next(31);
        float gain = speechRms * (float)Math.Pow(10, -snr / 20.0);
        float[] noise = Signal.LoopedSegment(_noise[n], mix.Length, rng);
        for (int i = 0; i < mix.Length; i++)
        {
            mix[i] += gain * noise[i];
        }

        name = $"recorded{n}";
        return snr;
    }

    // The loudest stretch of at most `length` samples (a word clip longer than the window keeps its word).
    private static float[] Loudest(float[] x, int length)
    {
        if (x.Length <= length)
        {
            return x;
        }

        double energy = 0, best = -1;
        int bestStart = 0;
        for (int i = 0; i < x.Length; i++)
        {
            energy += x[i] * x[i];
            if (i >= length)
            {
                energy -= x[i - length] * x[i - length];
            }

            if (i >= length - 1 && energy > best)
            {
                best = energy;
                bestStart = i - length + 1;
            }
        }

        return x.AsSpan(bestStart, length).ToArray();
    }

    private static short[] ToPcm(float[] mix) => mix.Select(Signal.ToPcm16).ToArray();

    private static float[] ReadFloats(string path)
    {
        try
        {
            return Signal.ReadWav(path);
        }
        catch (WavFormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }
}
