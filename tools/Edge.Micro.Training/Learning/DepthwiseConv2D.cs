using System.Numerics.Tensors;

namespace Edge.Micro.Training.Learning;

/// <summary>
/// A depthwise convolution (depth multiplier 1), TFLite SAME padding, optional fused ReLU; weights as TFLite
/// stores them: [1][kernel row][kernel column][channel].
/// </summary>
public sealed class DepthwiseConv2D : ILayer
{
    public DepthwiseConv2D(int inHeight, int inWidth, int channels, int kernelHeight, int kernelWidth, int stride, bool relu = true)
    {
        Channels = channels; KernelHeight = kernelHeight; KernelWidth = kernelWidth; Stride = stride; Relu = relu;
        Geometry = new SamePadding(inHeight, inWidth, kernelHeight, kernelWidth, stride);
        Weights = new float[KernelHeight * KernelWidth * channels];
        Bias = new float[channels];
    }

    public int Channels { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int Stride { get; }
    public bool Relu { get; }
    public SamePadding Geometry { get; }
    private int Taps => KernelHeight * KernelWidth;
    private int Positions => Geometry.OutHeight * Geometry.OutWidth;
    public int InputSize => Geometry.InHeight * Geometry.InWidth * Channels;
    public int OutputSize => Positions * Channels;

    /// <summary>Weights [tap][channel].</summary>
    public float[] Weights { get; }
    public float[] Bias { get; }
    public float[][] Parameters => [Weights, Bias];

    public void Initialize(Random rng)
    {
        WeightInit.Uniform(Weights, Math.Sqrt(6.0 / Taps), rng);
        Array.Clear(Bias);
    }

    private sealed class Cache(int patches, int channels) : LayerCache
    {
        public readonly float[] Patches = new float[patches];
        public readonly float[] PatchGrad = new float[patches];
        public readonly float[] Grad = new float[channels];
    }

    public LayerCache CreateCache() => new Cache(Positions * Taps * Channels, Channels);

    public void Forward(ReadOnlySpan<float> input, Span<float> output, LayerCache cache, Random? training)
    {
        Span<float> patches = ((Cache)cache).Patches;
        Geometry.Gather(input, Channels, patches);
        for (int p = 0; p < Positions; p++)
        {
            Span<float> o = output.Slice(p * Channels, Channels);
            Bias.CopyTo(o);
            for (int k = 0; k < Taps; k++)
            {
                TensorPrimitives.MultiplyAdd(patches.Slice((p * Taps + k) * Channels, Channels), Weights.AsSpan(k * Channels, Channels), o, o);
            }

            if (Relu)
            {
                TensorPrimitives.Max(o, 0f, o);
            }
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        float[][] parameterGradients, LayerCache cache)
    {
        var c = (Cache)cache;
        float[] weightGrad = parameterGradients[0], biasGrad = parameterGradients[1];
        Span<float> g = c.Grad;
        for (int p = 0; p < Positions; p++)
        {
            for (int ch = 0; ch < Channels; ch++)
            {
                int o = p * Channels + ch;
                g[ch] = Relu && output[o] <= 0 ? 0 : outputGrad[o];
            }

            TensorPrimitives.Add(biasGrad, g, biasGrad);
            for (int k = 0; k < Taps; k++)
            {
                Span<float> wg = weightGrad.AsSpan(k * Channels, Channels);
                TensorPrimitives.MultiplyAdd(c.Patches.AsSpan((p * Taps + k) * Channels, Channels), g, wg, wg);
                if (!inputGrad.IsEmpty)
                {
                    TensorPrimitives.Multiply(Weights.AsSpan(k * Channels, Channels), g, c.PatchGrad.AsSpan((p * Taps + k) * Channels, Channels));
                }
            }
        }

        if (!inputGrad.IsEmpty)
        {
            inputGrad.Clear();
            Geometry.Scatter(c.PatchGrad, Channels, inputGrad);
        }
    }
}
