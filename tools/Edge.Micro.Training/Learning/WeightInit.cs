namespace Edge.Micro.Training.Learning;

/// <summary>Weight initialization shared by the layers.</summary>
internal static class WeightInit
{
    /// <summary>Fills <paramref name="weights"/> uniformly from [-limit, limit] (He: limit = sqrt(6 / fan-in); Glorot: sqrt(6 / (fan-in + fan-out))).</summary>
    public static void Uniform(float[] weights, double limit, Random rng)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((rng.NextDouble() * 2 - 1) * limit);
        }
    }
}
