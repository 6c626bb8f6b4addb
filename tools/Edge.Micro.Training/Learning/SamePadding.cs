namespace Edge.Micro.Training.Learning;

/// <summary>
/// TFLite SAME padding for a kernel and stride: output = ceil(input / stride), the odd padding row or column
/// below or right. Gathers patches (im2col: [position][kernel row][kernel column][channel]) and scatters
/// their gradients back.
/// </summary>
public sealed class SamePadding
{
    public SamePadding(int inHeight, int inWidth, int kernelHeight, int kernelWidth, int stride)
    {
        InHeight = inHeight; InWidth = inWidth; KernelHeight = kernelHeight; KernelWidth = kernelWidth; Stride = stride;
        OutHeight = (inHeight + stride - 1) / stride;
        OutWidth = (inWidth + stride - 1) / stride;
        PadTop = Math.Max(0, (OutHeight - 1) * stride + kernelHeight - inHeight) / 2;
        PadLeft = Math.Max(0, (OutWidth - 1) * stride + kernelWidth - inWidth) / 2;
        _sources = BuildSources();
    }

    public int InHeight { get; }
    public int InWidth { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int Stride { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }
    public int PadTop { get; }
    public int PadLeft { get; }

    // For every (output position, kernel tap): the input position it reads, or -1 in the padding.
    private readonly int[] _sources;

    private int[] BuildSources()
    {
        var sources = new int[OutHeight * OutWidth * KernelHeight * KernelWidth];
        int i = 0;
        for (int oy = 0; oy < OutHeight; oy++)
        {
            for (int ox = 0; ox < OutWidth; ox++)
            {
                for (int ky = 0; ky < KernelHeight; ky++)
                {
                    int y = oy * Stride + ky - PadTop;
                    for (int kx = 0; kx < KernelWidth; kx++)
                    {
                        int x = ox * Stride + kx - PadLeft;
                        sources[i++] = y >= 0 && y < InHeight && x >= 0 && x < InWidth ? y * InWidth + x : -1;
                    }
                }
            }
        }

        return sources;
    }

    /// <summary>patch (p, ky, kx, c) = input(oy*stride + ky - padTop, ox*stride + kx - padLeft, c), zero outside.</summary>
    public void Gather(ReadOnlySpan<float> input, int channels, Span<float> patches)
    {
        int[] sources = _sources;
        for (int i = 0; i < sources.Length; i++)
        {
            Span<float> target = patches.Slice(i * channels, channels);
            if (sources[i] < 0)
            {
                target.Clear();
            }
            else
            {
                input.Slice(sources[i] * channels, channels).CopyTo(target);
            }
        }
    }

    /// <summary>Adds each patch gradient back to the input positions it came from.</summary>
    public void Scatter(ReadOnlySpan<float> patchGrad, int channels, Span<float> inputGrad)
    {
        int[] sources = _sources;
        for (int i = 0; i < sources.Length; i++)
        {
            if (sources[i] >= 0)
            {
                Span<float> target = inputGrad.Slice(sources[i] * channels, channels);
                System.Numerics.Tensors.TensorPrimitives.Add(target, patchGrad.Slice(i * channels, channels), target);
            }
        }
    }
}
