namespace Edge.Micro.Training.Learning;

/// <summary>
/// Structured pruning of the tiny architecture (<see cref="Architectures.Tiny"/>): drops the convolution filters with the smallest L1 norm
/// together with their columns of the fully connected layer, which shrinks the int8 model (unlike zeroing
/// single weights, which a dense int8 kernel does not profit from). Fine-tune afterwards.
/// </summary>
public static class FilterPruning
{
    /// <summary>A new network keeping the strongest (1 - <paramref name="fraction"/>) of the filters (at least one).</summary>
    public static Network Prune(Network net, float fraction)
    {
        if (fraction is < 0 or >= 1)
        {
            throw new ArgumentException("--prune must be a fraction in [0, 1)");
        }

        if (net.Architecture != "tiny")
        {
            throw new ArgumentException("filter pruning is implemented for the tiny architecture only");
        }

        var conv = (Conv2D)net.Layers[0];
        var dense = (Dense)net.Layers[^1];
        var dropout = (Dropout)net.Layers[1];
        int width = conv.OutChannels;
        int keepCount = Math.Max(1, (int)Math.Round(width * (1 - fraction)));
        int[] kept = Enumerable.Range(0, width)
            .OrderByDescending(f => conv.Weights.AsSpan(f * conv.PatchSize, conv.PatchSize).ToArray().Sum(Math.Abs))
            .ThenBy(f => f)
            .Take(keepCount)
            .Order()
            .ToArray();

        Network pruned = Architectures.Tiny(net.Classes, keepCount, dropout.Rate);
        var prunedConv = (Conv2D)pruned.Layers[0];
        var prunedDense = (Dense)pruned.Layers[^1];
        for (int k = 0; k < keepCount; k++)
        {
            Array.Copy(conv.Weights, kept[k] * conv.PatchSize, prunedConv.Weights, k * conv.PatchSize, conv.PatchSize);
            prunedConv.Bias[k] = conv.Bias[kept[k]];
        }

        // Fully connected inputs are NHWC: input index = position * width + filter.
        for (int j = 0; j < net.Classes; j++)
        {
            for (int p = 0; p < conv.Positions; p++)
            {
                for (int k = 0; k < keepCount; k++)
                {
                    prunedDense.Weights[j * prunedDense.Inputs + p * keepCount + k] = dense.Weights[j * dense.Inputs + p * width + kept[k]];
                }
            }

            prunedDense.Bias[j] = dense.Bias[j];
        }

        return pruned;
    }
}
