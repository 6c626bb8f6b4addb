namespace Edge.Micro.Training.Learning;

/// <summary>Per-thread scratch a layer keeps between its forward and backward pass (patches, dropout masks).</summary>
public class LayerCache
{
    /// <summary>No scratch.</summary>
    public static readonly LayerCache None = new();
}

/// <summary>
/// One layer of a <see cref="Network"/>, over one example at a time (NHWC, batch 1). The layer owns its
/// parameters; gradients go to arrays the caller passes, so threads can sum them separately.
/// </summary>
public interface ILayer
{
    /// <summary>Values in one input example.</summary>
    int InputSize { get; }

    /// <summary>Values in one output example.</summary>
    int OutputSize { get; }

    /// <summary>Trainable arrays (weights, bias), possibly none.</summary>
    float[][] Parameters { get; }

    /// <summary>Initializes the parameters from a seeded generator.</summary>
    void Initialize(Random rng);

    /// <summary>Scratch for one thread.</summary>
    LayerCache CreateCache();

    /// <summary>Computes the output; <paramref name="training"/> (non-null) enables training-only behaviour such as dropout.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, LayerCache cache, Random? training);

    /// <summary>
    /// Adds the parameter gradients to <paramref name="parameterGradients"/> (parallel to
    /// <see cref="Parameters"/>) and writes the input gradient unless <paramref name="inputGrad"/> is empty.
    /// </summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        float[][] parameterGradients, LayerCache cache);
}
