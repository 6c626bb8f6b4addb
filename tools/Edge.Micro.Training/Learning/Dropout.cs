namespace Edge.Micro.Training.Learning;

/// <summary>Inverted dropout: in training each value is kept with probability 1 - rate and scaled by 1/(1 - rate); identity otherwise (and on export).</summary>
public sealed class Dropout(int size, float rate) : ILayer
{
    public float Rate { get; } = rate is >= 0 and < 1 ? rate : throw new ArgumentException("the dropout rate must be in [0, 1)");
    public int InputSize => size;
    public int OutputSize => size;
    public float[][] Parameters => [];

    public void Initialize(Random rng)
    {
    }

    private sealed class Cache(int size) : LayerCache
    {
        public readonly float[] Mask = new float[size];
    }

    public LayerCache CreateCache() => new Cache(size);

    public void Forward(ReadOnlySpan<float> input, Span<float> output, LayerCache cache, Random? training)
    {
        float[] mask = ((Cache)cache).Mask;
        float keep = 1 - Rate;
        for (int i = 0; i < size; i++)
        {
            mask[i] = training == null || Rate == 0 ? 1f : training.NextDouble() < keep ? 1f / keep : 0f;
            output[i] = input[i] * mask[i];
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        float[][] parameterGradients, LayerCache cache)
    {
        if (!inputGrad.IsEmpty)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(outputGrad, ((Cache)cache).Mask, inputGrad);
        }
    }
}
