using System.Numerics.Tensors;
using Edge.Micro.Host.Audio;

namespace Edge.Micro.Training.Synthesis;

/// <summary>Small signal helpers: levels, trimming, filters, convolution.</summary>
public static class Signal
{
    /// <summary>Root mean square (0 for an empty or silent signal).</summary>
    public static float Rms(ReadOnlySpan<float> x) => x.Length == 0 ? 0 : MathF.Sqrt(TensorPrimitives.SumOfSquares(x) / x.Length);

    /// <summary>Scales <paramref name="x"/> in place to the given RMS (no change when silent).</summary>
    public static void NormalizeRms(Span<float> x, float rms)
    {
        float current = Rms(x);
        if (current > 1e-9f)
        {
            TensorPrimitives.Multiply(x, rms / current, x);
        }
    }

    /// <summary><paramref name="length"/> samples of a recording from a random point on, looped if the recording is shorter.</summary>
    public static float[] LoopedSegment(float[] recording, int length, Random rng)
    {
        int start = rng.Next(recording.Length);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = recording[(start + i) % recording.Length];
        }

        return x;
    }

    /// <summary>
    /// Scales a clip (warm-up plus the second) so that the peak of its second is from -40 to -2 dBFS, drawn: the
    /// level of every speech clip, synthetic or real.
    /// </summary>
    public static void SetRandomPeak(float[] mix, Random rng)
    {
        float peak = TensorPrimitives.MaxMagnitude(mix.AsSpan(SynthesisConstants.WarmUpSamples));
        float target = (float)Math.Pow(10, (-40 + 38 * rng.NextDouble()) / 20);
        TensorPrimitives.Multiply(mix, target / Math.Max(peak, 1e-9f), mix);
    }

    /// <summary>A sample in [-1, 1] as 16-bit PCM: scaled by 32767, rounded, clipped.</summary>
    public static short ToPcm16(float x) => (short)Math.Clamp(Math.Round(x * 32767), short.MinValue, short.MaxValue);

    /// <summary>16-bit PCM samples as floats in [-1, 1): each divided by 32768.</summary>
    public static float[] FromPcm16(short[] pcm) => pcm.Select(s => s / 32768f).ToArray();

    /// <summary>A WAV file as 16 kHz mono floats in [-1, 1) (<see cref="WavReader"/> converts other formats; its errors name the file).</summary>
    public static float[] ReadWav(string path) => FromPcm16(WavReader.Read(path).Samples);

    /// <summary>Cuts leading and trailing samples quieter than <paramref name="threshold"/> of the peak.</summary>
    public static float[] TrimSilence(float[] x, float threshold = 0.02f)
    {
        float peak = x.Length == 0 ? 0 : TensorPrimitives.MaxMagnitude(x);
        if (peak <= 0)
        {
            return x;
        }

        int first = 0;
        while (first < x.Length && Math.Abs(x[first]) < threshold * peak)
        {
            first++;
        }

        int last = x.Length - 1;
        while (last > first && Math.Abs(x[last]) < threshold * peak)
        {
            last--;
        }

        return x[first..(last + 1)];
    }

    /// <summary>Convolves <paramref name="x"/> with an impulse response (output as long as the input).</summary>
    public static float[] Convolve(float[] x, float[] h)
    {
        var y = new float[x.Length];
        for (int k = 0; k < h.Length && k < x.Length; k++)
        {
            if (h[k] != 0)
            {
                Span<float> target = y.AsSpan(k);
                TensorPrimitives.MultiplyAdd(x.AsSpan(0, x.Length - k), h[k], target, target);
            }
        }

        return y;
    }

    /// <summary>An RBJ-cookbook biquad applied in place.</summary>
    public static void Biquad(Span<float> x, double b0, double b1, double b2, double a0, double a1, double a2)
    {
        b0 /= a0; b1 /= a0; b2 /= a0; a1 /= a0; a2 /= a0;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double y = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1; x1 = x[i]; y2 = y1; y1 = y;
            x[i] = (float)y;
        }
    }

    /// <summary>Peaking equalizer at <paramref name="hz"/> with a gain in dB and a quality factor.</summary>
    public static void Peaking(Span<float> x, double hz, double gainDb, double q)
    {
        double a = Math.Pow(10, gainDb / 40);
        double w = 2 * Math.PI * hz / SynthesisConstants.SampleRate;
        double alpha = Math.Sin(w) / (2 * q);
        Biquad(x, 1 + alpha * a, -2 * Math.Cos(w), 1 - alpha * a, 1 + alpha / a, -2 * Math.Cos(w), 1 - alpha / a);
    }

    /// <summary>Second-order high-pass at <paramref name="hz"/>.</summary>
    public static void HighPass(Span<float> x, double hz)
    {
        double w = 2 * Math.PI * hz / SynthesisConstants.SampleRate;
        double alpha = Math.Sin(w) / Math.Sqrt(2);
        double c = Math.Cos(w);
        Biquad(x, (1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    /// <summary>Second-order low-pass at <paramref name="hz"/>.</summary>
    public static void LowPass(Span<float> x, double hz)
    {
        double w = 2 * Math.PI * hz / SynthesisConstants.SampleRate;
        double alpha = Math.Sin(w) / Math.Sqrt(2);
        double c = Math.Cos(w);
        Biquad(x, (1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }
}
