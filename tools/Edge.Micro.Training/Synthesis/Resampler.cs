namespace Edge.Micro.Training.Synthesis;

/// <summary>Band-limited resampling (Hann-windowed sinc), for sample-rate conversion and speed perturbation.</summary>
public static class Resampler
{
    private const int HalfTaps = 16;
    private const int Phases = 256;

    /// <summary>
    /// Resamples by <paramref name="step"/> input samples per output sample: 22050/16000 converts 22.05 kHz to
    /// 16 kHz; 1.1 makes speech 10% faster and higher.
    /// </summary>
    public static float[] Resample(float[] input, double step)
    {
        if (step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "step must be positive");
        }

        double scale = Math.Min(1.0, 1.0 / step); // lowers the cutoff when decimating
        double cutoff = 0.5 * scale * 0.95; // cycles per input sample
        int reach = (int)Math.Ceiling(HalfTaps / scale);
        int taps = 2 * reach;
        // Kernel table: for each fractional phase, the weights of input samples floor(t)-reach+1 .. floor(t)+reach.
        var table = new float[Phases * taps];
        for (int p = 0; p < Phases; p++)
        {
            double frac = (double)p / Phases;
            for (int j = 0; j < taps; j++)
            {
                double x = j - reach + 1 - frac;
                double window = Math.Abs(x) >= reach ? 0 : 0.5 + 0.5 * Math.Cos(Math.PI * x / reach);
                double sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
                table[p * taps + j] = (float)(sinc * window);
            }
        }

        int length = (int)(input.Length / step);
        var output = new float[length];
        for (int n = 0; n < length; n++)
        {
            double t = n * step;
            int whole = (int)t;
            int phase = (int)((t - whole) * Phases);
            int first = whole - reach + 1;
            float sum = 0;
            int row = phase * taps;
            for (int j = 0; j < taps; j++)
            {
                int k = first + j;
                if ((uint)k < (uint)input.Length)
                {
                    sum += input[k] * table[row + j];
                }
            }

            output[n] = sum;
        }

        return output;
    }
}
