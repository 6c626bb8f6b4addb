namespace Edge.Micro.Training.Learning;

/// <summary>The Adam optimizer (Kingma and Ba) over a fixed list of parameter arrays.</summary>
public sealed class Adam
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
    private readonly float[][] _parameters;
    private readonly float[][] _m;
    private readonly float[][] _v;
    private int _step;

    /// <summary>Creates the optimizer state for <paramref name="parameters"/>.</summary>
    public Adam(float[][] parameters, float weightDecay = 0f)
    {
        _parameters = parameters;
        _m = parameters.Select(p => new float[p.Length]).ToArray();
        _v = parameters.Select(p => new float[p.Length]).ToArray();
        WeightDecay = weightDecay;
    }

    /// <summary>Decoupled weight decay per step (AdamW), relative to the learning rate.</summary>
    public float WeightDecay { get; }

    /// <summary>One update with the given gradients (parallel to the parameters) and learning rate.</summary>
    public void Step(float[][] gradients, float learningRate)
    {
        _step++;
        float correction1 = 1 - MathF.Pow(Beta1, _step);
        float correction2 = 1 - MathF.Pow(Beta2, _step);
        for (int a = 0; a < _parameters.Length; a++)
        {
            float[] p = _parameters[a], g = gradients[a], m = _m[a], v = _v[a];
            for (int i = 0; i < p.Length; i++)
            {
                m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
                v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
                float update = m[i] / correction1 / (MathF.Sqrt(v[i] / correction2) + Epsilon);
                p[i] -= learningRate * (update + WeightDecay * p[i]);
            }
        }
    }
}
