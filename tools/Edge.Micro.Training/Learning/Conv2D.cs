using System.Numerics.Tensors;

namespace Edge.Micro.Training.Learning;

/// <summary>
/// A 2-D convolution over an NHWC image (one example), TFLite SAME padding, optional fused ReLU, with weights
/// laid out as TFLite stores them: [out channel][kernel row][kernel column][in channel]. The forward pass
/// gathers input patches (im2col) and keeps them for the backward pass.
/// </summary>
public sealed class Conv2D : ILayer
{
    /// <summary>Creates the layer; weights start at zero (see <see cref="Initialize"/>).</summary>
    public Conv2D(int inHeight, int inWidth, int inChannels, int outChannels, int kernelHeight, int kernelWidth, int stride, bool relu = true)
    {
        InHeight = inHeight; InWidth = inWidth; InChannels = inChannels; OutChannels = outChannels;
        KernelHeight = kernelHeight; KernelWidth = kernelWidth; Stride = stride; Relu = relu;
        Geometry = new SamePadding(inHeight, inWidth, kernelHeight, kernelWidth, stride);
        Weights = new float[outChannels * PatchSize];
        Bias = new float[outChannels];
    }

    public int InHeight { get; }
    public int InWidth { get; }
    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int Stride { get; }

    /// <summary>True when a ReLU follows (fused into the op on export).</summary>
    public bool Relu { get; }

    /// <summary>Output size and padding.</summary>
    public SamePadding Geometry { get; }
    public int OutHeight => Geometry.OutHeight;
    public int OutWidth => Geometry.OutWidth;

    /// <summary>Values per patch: kernel rows x kernel columns x input channels.</summary>
    public int PatchSize => KernelHeight * KernelWidth * InChannels;

    /// <summary>Output positions.</summary>
    public int Positions => OutHeight * OutWidth;
    public int InputSize => InHeight * InWidth * InChannels;
    public int OutputSize => Positions * OutChannels;

    /// <summary>Weights [OutChannels][PatchSize].</summary>
    public float[] Weights { get; }

    /// <summary>One bias per output channel.</summary>
    public float[] Bias { get; }
    public float[][] Parameters => [Weights, Bias];

    /// <summary>He-uniform initialization; biases zero.</summary>
    public void Initialize(Random rng)
    {
        WeightInit.Uniform(Weights, Math.Sqrt(6.0 / PatchSize), rng);
        Array.Clear(Bias);
    }

    private sealed class Cache(int patches) : LayerCache
    {
        public readonly float[] Patches = new float[patches];
        public readonly float[] PatchGrad = new float[patches];
    }

    public LayerCache CreateCache() => new Cache(Positions * PatchSize);

    public void Forward(ReadOnlySpan<float> input, Span<float> output, LayerCache cache, Random? training)
    {
        Span<float> patches = ((Cache)cache).Patches;
        Geometry.Gather(input, InChannels, patches);
        for (int p = 0; p < Positions; p++)
        {
            ReadOnlySpan<float> patch = patches.Slice(p * PatchSize, PatchSize);
            for (int f = 0; f < OutChannels; f++)
            {
                float v = Bias[f] + TensorPrimitives.Dot(patch, Weights.AsSpan(f * PatchSize, PatchSize));
                output[p * OutChannels + f] = Relu && v < 0 ? 0 : v;
            }
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        float[][] parameterGradients, LayerCache cache)
    {
        var c = (Cache)cache;
        Span<float> weightGrad = parameterGradients[0], biasGrad = parameterGradients[1];
        bool wantInput = !inputGrad.IsEmpty;
        if (wantInput)
        {
            Array.Clear(c.PatchGrad);
        }

        for (int p = 0; p < Positions; p++)
        {
            ReadOnlySpan<float> patch = c.Patches.AsSpan(p * PatchSize, PatchSize);
            for (int f = 0; f < OutChannels; f++)
            {
                int o = p * OutChannels + f;
                float g = Relu && output[o] <= 0 ? 0 : outputGrad[o];
                if (g == 0)
                {
                    continue;
                }

                biasGrad[f] += g;
                Span<float> wg = weightGrad.Slice(f * PatchSize, PatchSize);
                TensorPrimitives.MultiplyAdd(patch, g, wg, wg);
                if (wantInput)
                {
                    Span<float> pg = c.PatchGrad.AsSpan(p * PatchSize, PatchSize);
                    TensorPrimitives.MultiplyAdd(Weights.AsSpan(f * PatchSize, PatchSize), g, pg, pg);
                }
            }
        }

        if (wantInput)
        {
            inputGrad.Clear();
            Geometry.Scatter(c.PatchGrad, InChannels, inputGrad);
        }
    }
}
