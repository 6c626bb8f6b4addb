namespace Edge.Micro.Training.Learning;

/// <summary>
/// How the front end's int8 features map to the network's real-valued input, and so the input tensor's
/// quantization in the exported model: real = (q - ZeroPoint) * Scale, i.e. -128..127 -> 0..~1.
/// </summary>
public static class FeatureScaling
{
    /// <summary>Input scale (1/256).</summary>
    public const float Scale = 1f / 256f;

    /// <summary>Input zero point.</summary>
    public const int ZeroPoint = -128;

    /// <summary>Dequantizes one clip's features into <paramref name="input"/>.</summary>
    public static void ToReal(ReadOnlySpan<sbyte> features, Span<float> input)
    {
        for (int i = 0; i < features.Length; i++)
        {
            input[i] = (features[i] - ZeroPoint) * Scale;
        }
    }
}
