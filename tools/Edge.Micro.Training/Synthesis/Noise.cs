namespace Edge.Micro.Training.Synthesis;

/// <summary>Background noise kinds of the dataset.</summary>
public enum NoiseKind
{
    White,
    Pink,
    Brown,
    Hum,
    Babble,
}

/// <summary>Generates background noise of unit RMS.</summary>
public static class Noise
{
    /// <summary>A standard normal sample.</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// <paramref name="length"/> samples of noise, normalized to RMS 1. Babble mixes 3-6 talkers from
    /// <paramref name="babblePool"/> (pre-rendered sentences).
    /// </summary>
    public static float[] Generate(NoiseKind kind, int length, Random rng, IReadOnlyList<float[]> babblePool)
    {
        var x = new float[length];
        switch (kind)
        {
            case NoiseKind.White:
                for (int i = 0; i < length; i++)
                {
                    x[i] = (float)Gaussian(rng);
                }

                break;
            case NoiseKind.Pink:
                // Paul Kellet's economy pink filter.
                double b0 = 0, b1 = 0, b2 = 0;
                for (int i = 0; i < length; i++)
                {
                    double w = Gaussian(rng);
                    b0 = 0.99765 * b0 + w * 0.0990460;
                    b1 = 0.96300 * b1 + w * 0.2965164;
                    b2 = 0.57000 * b2 + w * 1.0526913;
                    x[i] = (float)(b0 + b1 + b2 + w * 0.1848);
                }

                break;
            case NoiseKind.Brown:
                double level = 0;
                for (int i = 0; i < length; i++)
                {
                    level = 0.995 * level + 0.1 * Gaussian(rng);
                    x[i] = (float)level;
                }

                break;
            case NoiseKind.Hum:
                double mains = rng.Next(2) == 0 ? 50 : 60;
                int harmonics = 2 + rng.Next(6);
                var amplitude = new double[harmonics];
                var phase = new double[harmonics];
                for (int h = 0; h < harmonics; h++)
                {
                    amplitude[h] = rng.NextDouble() / (h + 1);
                    phase[h] = rng.NextDouble() * 2 * Math.PI;
                }

                double hiss = 0.05 * rng.NextDouble();
                for (int i = 0; i < length; i++)
                {
                    double v = hiss * Gaussian(rng);
                    for (int h = 0; h < harmonics; h++)
                    {
                        v += amplitude[h] * Math.Sin(2 * Math.PI * mains * (h + 1) * i / SynthesisConstants.SampleRate + phase[h]);
                    }

                    x[i] = (float)v;
                }

                break;
            case NoiseKind.Babble:
                int talkers = 3 + rng.Next(4);
                for (int t = 0; t < talkers && babblePool.Count > 0; t++)
                {
                    float[] s = babblePool[rng.Next(babblePool.Count)];
                    int start = rng.Next(Math.Max(1, s.Length));
                    for (int i = 0; i < length; i++)
                    {
                        x[i] += s[(start + i) % s.Length];
                    }
                }

                break;
        }

        Signal.NormalizeRms(x, 1f);
        return x;
    }
}
