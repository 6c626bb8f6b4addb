using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Host.Audio;

/// <summary>The micro front end's settings (the micro_speech example's values are the defaults).</summary>
public sealed record MicroFrontendConfig
{
    public int SampleRate { get; init; } = 16000;
    public int WindowMs { get; init; } = 30;
    public int StrideMs { get; init; } = 20;
    public int Channels { get; init; } = 40;
    public float LowerBandHz { get; init; } = 125f;
    public float UpperBandHz { get; init; } = 7500f;
    public int WindowBits { get; init; } = 12;
    public int SmoothingBits { get; init; } = 10;
    public float EvenSmoothing { get; init; } = 0.025f;
    public float OddSmoothing { get; init; } = 0.06f;
    public float MinSignalRemaining { get; init; } = 0.05f;
    public float PcanStrength { get; init; } = 0.95f;
    public float PcanOffset { get; init; } = 80f;
    public int PcanGainBits { get; init; } = 21;
    public int LogScaleShift { get; init; } = 6;
}

/// <summary>
/// Computes <see cref="MicroFrontendTables"/> on the desktop with the floating-point formulas of TFLM's
/// micro front end set-up (microfrontend/lib: window_util.c, fft_util.c with kissfft, filterbank_util.c,
/// noise_reduction_util.c, pcan_gain_control_util.c, log_scale_util.c), float where the C code uses float.
/// </summary>
public static class MicroFrontendTableBuilder
{
    private const int FilterbankBits = 12;
    private const int SpectralSubtractionBits = 14;
    private const int PcanSnrBits = 12;
    private const int WideDynamicFunctionBits = 32;
    private const int ChannelBlockSize = 4;
    private const int IndexAlignment = 2; // 4-byte alignment of int16 indices

    /// <summary>Builds the tables for a configuration.</summary>
    public static MicroFrontendTables Build(MicroFrontendConfig c)
    {
        int window = c.WindowMs * c.SampleRate / 1000;
        int fftLength = 1;
        while (fftLength < window)
        {
            fftLength <<= 1;
        }

        int spectrumSize = fftLength / 2 + 1;
        var t = new MicroFrontendTables
        {
            Window = HannWindow(window, c.WindowBits),
            WindowShift = c.WindowBits,
            FftLength = fftLength,
            Channels = c.Channels,
            SmoothingBits = c.SmoothingBits,
            SpectralSubtractionBits = SpectralSubtractionBits,
            EvenSmoothing = (int)(c.EvenSmoothing * (1 << SpectralSubtractionBits)),
            OddSmoothing = (int)(c.OddSmoothing * (1 << SpectralSubtractionBits)),
            MinSignalRemaining = (int)(c.MinSignalRemaining * (1 << SpectralSubtractionBits)),
            LogOutputScale = 1 << c.LogScaleShift,
        };
        (t.Twiddles, t.Factors) = ComplexFftTables(fftLength / 2);
        t.SuperTwiddles = SuperTwiddles(fftLength / 2);
        Filterbank(c, spectrumSize, t);

        int correctionBits = Edge.Micro.Audio.FrontEnd.SquareRoots.MostSignificantBit((uint)fftLength) - 1 - FilterbankBits / 2;
        t.LogCorrectionBits = correctionBits;
        t.PcanSnrShift = c.PcanGainBits - correctionBits - PcanSnrBits;
        t.PcanGainLut = PcanLut(c, c.SmoothingBits - correctionBits);
        return t;
    }

    /// <summary>Hann-type window, half-sample offset, rounded to windowBits fractional bits.</summary>
    public static short[] HannWindow(int size, int windowBits)
    {
        var w = new short[size];
        float arg = (float)(Math.PI * 2.0 / size);
        for (int i = 0; i < size; i++)
        {
            float weight = (float)(0.5 - 0.5 * Math.Cos(arg * (i + 0.5)));
            w[i] = (short)Math.Floor(weight * (1 << windowBits) + 0.5);
        }

        return w;
    }

    private static short Q15(double v) => (short)Math.Floor(0.5 + 32767 * v);

    /// <summary>kiss_fft_alloc: twiddles e^(-2 pi i k / n) in Q15 and the radix factors (4 first, then 2).</summary>
    public static (short[] Twiddles, int[] Factors) ComplexFftTables(int n)
    {
        var tw = new short[2 * n];
        for (int i = 0; i < n; i++)
        {
            double phase = -2 * Math.PI * i / n;
            tw[2 * i] = Q15(Math.Cos(phase));
            tw[2 * i + 1] = Q15(Math.Sin(phase));
        }

        var factors = new List<int>();
        int p = 4, rest = n;
        double floorSqrt = Math.Floor(Math.Sqrt(n));
        do
        {
            while (rest % p != 0)
            {
                p = p switch { 4 => 2, 2 => 3, _ => p + 2 };
                if (p > floorSqrt)
                {
                    p = rest;
                }
            }

            rest /= p;
            factors.Add(p);
            factors.Add(rest);
        }
        while (rest > 1);
        if (factors.Where((_, i) => i % 2 == 0).Any(f => f != 2 && f != 4))
        {
            throw new ArgumentException($"FFT length {2 * n} is not a power of two");
        }

        return (tw, factors.ToArray());
    }

    /// <summary>kiss_fftr_alloc: the real-FFT split twiddles for an n-point complex FFT.</summary>
    public static short[] SuperTwiddles(int n)
    {
        var tw = new short[n];
        for (int i = 0; i < n / 2; i++)
        {
            double phase = -3.14159265358979323846264338327 * ((double)(i + 1) / n + .5);
            tw[2 * i] = Q15(Math.Cos(phase));
            tw[2 * i + 1] = Q15(Math.Sin(phase));
        }

        return tw;
    }

    private static float FreqToMel(float freq) => (float)(1127.0 * Math.Log(1.0 + freq / 700.0));

    /// <summary>
    /// filterbank_util.c FilterbankPopulateState: channel layout and Q12 weights of the mel filterbank. The
    /// weights are truncated, as TFLM's signal library (audio_preprocessor) builds them; the older C
    /// microfrontend rounds them instead, one reason the two front ends differ in a few values.
    /// </summary>
    private static void Filterbank(MicroFrontendConfig c, int spectrumSize, MicroFrontendTables t)
    {
        int n = c.Channels + 1;
        var centerMel = new float[n];
        float melLow = FreqToMel(c.LowerBandHz);
        float melHi = FreqToMel(c.UpperBandHz);
        float melSpacing = (melHi - melLow) / n;
        for (int i = 0; i < n; i++)
        {
            centerMel[i] = melLow + melSpacing * (i + 1);
        }

        float hzPerBin = (float)(0.5 * c.SampleRate / ((float)spectrumSize - 1));
        int startIndex = (int)(1.5 + c.LowerBandHz / hzPerBin);
        var freqStarts = new short[n];
        var weightStarts = new short[n];
        var widths = new short[n];
        var actualStarts = new int[n];
        var actualWidths = new int[n];
        int chanFreqStart = startIndex;
        int weightIndex = 0;
        bool needsZeros = false;
        for (int ch = 0; ch < n; ch++)
        {
            int freq = chanFreqStart;
            while (FreqToMel(freq * hzPerBin) <= centerMel[ch])
            {
                freq++;
            }

            int width = freq - chanFreqStart;
            actualStarts[ch] = chanFreqStart;
            actualWidths[ch] = width;
            if (width == 0)
            {
                freqStarts[ch] = 0;
                weightStarts[ch] = 0;
                widths[ch] = ChannelBlockSize;
                if (!needsZeros)
                {
                    needsZeros = true;
                    for (int j = 0; j < ch; j++)
                    {
                        weightStarts[j] += ChannelBlockSize;
                    }

                    weightIndex += ChannelBlockSize;
                }
            }
            else
            {
                int alignedStart = chanFreqStart / IndexAlignment * IndexAlignment;
                int alignedWidth = chanFreqStart - alignedStart + width;
                int paddedWidth = ((alignedWidth - 1) / ChannelBlockSize + 1) * ChannelBlockSize;
                freqStarts[ch] = (short)alignedStart;
                weightStarts[ch] = (short)weightIndex;
                widths[ch] = (short)paddedWidth;
                weightIndex += paddedWidth;
            }

            chanFreqStart = freq;
        }

        var weights = new short[weightIndex];
        var unweights = new short[weightIndex];
        int endIndex = 0;
        for (int ch = 0; ch < n; ch++)
        {
            int frequency = actualStarts[ch];
            int offset = frequency - freqStarts[ch];
            float denom = ch == 0 ? melLow : centerMel[ch - 1];
            for (int j = 0; j < actualWidths[ch]; j++, frequency++)
            {
                float weight = (centerMel[ch] - FreqToMel(frequency * hzPerBin)) / (centerMel[ch] - denom);
                int at = weightStarts[ch] + offset + j;
                weights[at] = (short)Math.Floor(weight * (1 << FilterbankBits));
                unweights[at] = (short)Math.Floor((1.0 - weight) * (1 << FilterbankBits));
            }

            endIndex = Math.Max(endIndex, frequency);
        }

        t.ChannelFrequencyStarts = freqStarts;
        t.ChannelWeightStarts = weightStarts;
        t.ChannelWidths = widths;
        t.Weights = weights;
        t.Unweights = unweights;
        t.EnergyStart = startIndex;
        t.EnergyEnd = endIndex;
    }

    private static short PcanGain(MicroFrontendConfig c, int inputBits, uint x)
    {
        float xf = (float)x / (1u << inputBits);
        float gain = (1u << c.PcanGainBits) * MathF.Pow(xf + c.PcanOffset, -c.PcanStrength);
        return gain > short.MaxValue ? short.MaxValue : (short)(gain + 0.5f);
    }

    /// <summary>pcan_gain_control_util.c: the piecewise quadratic gain curve (125 entries).</summary>
    private static short[] PcanLut(MicroFrontendConfig c, int inputBits)
    {
        var lut = new short[4 * WideDynamicFunctionBits - 3];
        lut[0] = PcanGain(c, inputBits, 0);
        lut[1] = PcanGain(c, inputBits, 1);
        for (int interval = 2; interval <= WideDynamicFunctionBits; interval++)
        {
            uint x0 = 1u << (interval - 1);
            uint x1 = x0 + (x0 >> 1);
            uint x2 = interval == WideDynamicFunctionBits ? x0 + (x0 - 1) : 2 * x0;
            short y0 = PcanGain(c, inputBits, x0);
            short y1 = PcanGain(c, inputBits, x1);
            short y2 = PcanGain(c, inputBits, x2);
            int diff1 = y1 - y0;
            int diff2 = y2 - y0;
            int a1 = 4 * diff1 - diff2;
            int a2 = diff2 - a1;
            int at = 4 * interval - 6;
            lut[at] = y0;
            lut[at + 1] = (short)a1;
            lut[at + 2] = (short)a2;
        }

        return lut;
    }
}
