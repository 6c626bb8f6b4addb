namespace Edge.Micro.Training.Learning;

/// <summary>The keyword network shapes <c>edge-micro train --arch</c> offers.</summary>
public static class Architectures
{
    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static readonly string[] Names = ["tiny", "tiny2", "dscnn"];

    /// <summary>The dropout rate an architecture trains with unless told otherwise.</summary>
    public static float DefaultDropout(string name) => name == "dscnn" ? 0.2f : 0.5f;

    /// <summary>The width an architecture trains with unless told otherwise.</summary>
    public static int DefaultWidth(string name) => name == "dscnn" ? 24 : 8;

    /// <summary>Builds an architecture by name.</summary>
    public static Network Create(string name, int classes, int width, float dropout) => name switch
    {
        "tiny" => Tiny(classes, width, dropout),
        "tiny2" => Tiny2(classes, width, dropout),
        "dscnn" => DsCnn(classes, width, dropout),
        _ => throw new ArgumentException($"unknown architecture '{name}'; choose {string.Join(" or ", Names)}"),
    };

    /// <summary>
    /// micro_speech's shape: one convolution (10x8 kernel, stride 2, SAME, <paramref name="width"/> filters,
    /// ReLU), dropout, fully connected to the classes. Width 8 and 4 classes: 16,652 parameters, about 18 KB int8.
    /// </summary>
    public static Network Tiny(int classes, int width = 8, float dropout = 0.5f)
    {
        CheckArguments(classes, width);
        var conv = new Conv2D(Network.Frames, Network.Channels, 1, width, 10, 8, 2);
        return new Network("tiny", [conv, new Dropout(conv.OutputSize, dropout), new Dense(conv.OutputSize, classes)]);
    }

    /// <summary>
    /// tiny with a second convolution: 10x8 stride 2 (<paramref name="width"/> filters, ReLU), then 7x5 stride 2
    /// (2 x <paramref name="width"/> filters, ReLU), dropout, fully connected. The second layer sees about 440 ms
    /// and can combine sounds in their order ("y-e" followed by "s"), which tiny's fully connected layer, a sum over
    /// positions, cannot. Width 8 and 4 classes: 13,468 parameters, about 16 KB int8.
    /// </summary>
    public static Network Tiny2(int classes, int width = 8, float dropout = 0.5f)
    {
        CheckArguments(classes, width);
        var first = new Conv2D(Network.Frames, Network.Channels, 1, width, 10, 8, 2);
        var second = new Conv2D(first.OutHeight, first.OutWidth, width, 2 * width, 7, 5, 2);
        return new Network("tiny2", [first, second, new Dropout(second.OutputSize, dropout), new Dense(second.OutputSize, classes)]);
    }

    /// <summary>
    /// A small depthwise-separable CNN (after Zhang et al., "Hello Edge"): a 10x4 stride-2 convolution, then
    /// <paramref name="blocks"/> blocks of 3x3 depthwise + 1x1 pointwise convolution, all with
    /// <paramref name="width"/> channels and ReLU, global average pooling, dropout, fully connected.
    /// </summary>
    public static Network DsCnn(int classes, int width = 24, float dropout = 0.2f, int blocks = 3)
    {
        CheckArguments(classes, width);
        var layers = new List<ILayer>();
        var first = new Conv2D(Network.Frames, Network.Channels, 1, width, 10, 4, 2);
        layers.Add(first);
        int h = first.OutHeight, w = first.OutWidth;
        for (int b = 0; b < blocks; b++)
        {
            layers.Add(new DepthwiseConv2D(h, w, width, 3, 3, 1));
            layers.Add(new Conv2D(h, w, width, width, 1, 1, 1));
        }

        layers.Add(new GlobalAveragePool(h, w, width));
        layers.Add(new Dropout(width, dropout));
        layers.Add(new Dense(width, classes));
        return new Network("dscnn", layers);
    }

    private static void CheckArguments(int classes, int width)
    {
        if (classes < 2 || width < 1)
        {
            throw new ArgumentException("a network needs at least 2 classes and a width of at least 1");
        }
    }
}
