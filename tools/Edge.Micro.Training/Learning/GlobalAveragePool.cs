namespace Edge.Micro.Training.Learning;

/// <summary>Average over all positions of an NHWC image: H x W x C -> C (TFLite AVERAGE_POOL_2D with the whole image as the window).</summary>
public sealed class GlobalAveragePool(int height, int width, int channels) : ILayer
{
    public int Height { get; } = height;
    public int Width { get; } = width;
    public int Channels { get; } = channels;
    public int InputSize => Height * Width * Channels;
    public int OutputSize => Channels;
    public float[][] Parameters => [];

    public void Initialize(Random rng)
    {
    }

    public LayerCache CreateCache() => LayerCache.None;

    public void Forward(ReadOnlySpan<float> input, Span<float> output, LayerCache cache, Random? training)
    {
        output.Clear();
        for (int p = 0; p < Height * Width; p++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(output, input.Slice(p * Channels, Channels), output);
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(output, 1f / (Height * Width), output);
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        float[][] parameterGradients, LayerCache cache)
    {
        if (inputGrad.IsEmpty)
        {
            return;
        }

        for (int p = 0; p < Height * Width; p++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(outputGrad, 1f / (Height * Width), inputGrad.Slice(p * Channels, Channels));
        }
    }
}
