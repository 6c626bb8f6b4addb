namespace Edge.Micro.Training.Synthesis;

/// <summary>
/// Vocal-tract-length perturbation (Jaitly and Hinton, 2013): the short-time spectrum's frequency axis is scaled
/// by a factor, as a shorter (factor above 1) or longer vocal tract would scale it, without changing the
/// duration. Used on real recordings and on the pooled synthetic voices to multiply their speakers.
/// STFT of 512 samples (32 ms), hop 128, Hann window, overlap-add: output bin k takes the magnitude of source bin
/// k / factor (linear interpolation) and the phase of the nearest one.
/// </summary>
public static class SpeakerPerturbation
{
    private const int FrameSize = 512, Hop = 128;

    /// <summary>A warp factor from 0.85 to 1.15.</summary>
    public static double RandomWarp(Random rng) => 0.85 + 0.3 * rng.NextDouble();

    /// <summary>The audio with its spectrum's frequency axis scaled by <paramref name="factor"/>.</summary>
    public static float[] WarpFormants(float[] x, double factor)
    {
        if (factor is < 0.5 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), "a warp factor from 0.5 to 2");
        }

        var window = new double[FrameSize];
        for (int i = 0; i < FrameSize; i++)
        {
            window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / FrameSize);
        }

        int frames = (x.Length + FrameSize) / Hop + 1;
        var output = new double[frames * Hop + FrameSize];
        var norm = new double[output.Length];
        var re = new double[FrameSize];
        var im = new double[FrameSize];
        var outRe = new double[FrameSize];
        var outIm = new double[FrameSize];
        const int Half = FrameSize / 2;
        for (int f = 0; f < frames; f++)
        {
            int start = f * Hop - FrameSize;
            for (int i = 0; i < FrameSize; i++)
            {
                int s = start + i;
                re[i] = s >= 0 && s < x.Length ? x[s] * window[i] : 0;
                im[i] = 0;
            }

            Fft(re, im, inverse: false);
            Array.Clear(outRe);
            Array.Clear(outIm);
            for (int k = 0; k <= Half; k++)
            {
                double source = k / factor;
                if (source > Half)
                {
                    continue;
                }

                int lo = (int)source;
                int hi = Math.Min(lo + 1, Half);
                double t = source - lo;
                double magnitude = (1 - t) * Math.Sqrt(re[lo] * re[lo] + im[lo] * im[lo]) + t * Math.Sqrt(re[hi] * re[hi] + im[hi] * im[hi]);
                int nearest = t < 0.5 ? lo : hi;
                double phase = Math.Atan2(im[nearest], re[nearest]);
                outRe[k] = magnitude * Math.Cos(phase);
                outIm[k] = magnitude * Math.Sin(phase);
                if (k > 0 && k < Half)
                {
                    outRe[FrameSize - k] = outRe[k];
                    outIm[FrameSize - k] = -outIm[k];
                }
            }

            Fft(outRe, outIm, inverse: true);
            for (int i = 0; i < FrameSize; i++)
            {
                output[f * Hop + i] += outRe[i] * window[i];
                norm[f * Hop + i] += window[i] * window[i];
            }
        }

        var y = new float[x.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int o = i + FrameSize;
            y[i] = norm[o] > 1e-9 ? (float)(output[o] / norm[o]) : 0;
        }

        return y;
    }

    // In-place radix-2 complex FFT; the inverse is scaled by 1/n.
    private static void Fft(double[] re, double[] im, bool inverse)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (int length = 2; length <= n; length <<= 1)
        {
            double angle = 2 * Math.PI / length * (inverse ? 1 : -1);
            double wRe = Math.Cos(angle), wIm = Math.Sin(angle);
            for (int i = 0; i < n; i += length)
            {
                double cRe = 1, cIm = 0;
                for (int k = 0; k < length / 2; k++)
                {
                    int a = i + k, b = i + k + length / 2;
                    double tRe = re[b] * cRe - im[b] * cIm;
                    double tIm = re[b] * cIm + im[b] * cRe;
                    re[b] = re[a] - tRe;
                    im[b] = im[a] - tIm;
                    re[a] += tRe;
                    im[a] += tIm;
                    double next = cRe * wRe - cIm * wIm;
                    cIm = cRe * wIm + cIm * wRe;
                    cRe = next;
                }
            }
        }

        if (inverse)
        {
            for (int i = 0; i < n; i++)
            {
                re[i] /= n;
                im[i] /= n;
            }
        }
    }
}
