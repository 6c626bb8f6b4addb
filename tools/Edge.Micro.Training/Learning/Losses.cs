namespace Edge.Micro.Training.Learning;

/// <summary>Softmax with cross-entropy, and the ReLU pair.</summary>
public static class Losses
{
    /// <summary>Writes softmax(logits) to <paramref name="probabilities"/> and returns -log p[label].</summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, int label, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = MathF.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = (float)(probabilities[i] / sum);
        }

        return -MathF.Log(Math.Max(probabilities[label], 1e-12f));
    }

    /// <summary>The gradient of the loss with respect to the logits: p - onehot(label), times <paramref name="scale"/>.</summary>
    public static void SoftmaxCrossEntropyGrad(ReadOnlySpan<float> probabilities, int label, float scale, Span<float> logitGrad)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            logitGrad[i] = scale * (probabilities[i] - (i == label ? 1f : 0f));
        }
    }

    /// <summary>In-place ReLU.</summary>
    public static void Relu(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] < 0)
            {
                x[i] = 0;
            }
        }
    }

    /// <summary>Zeroes the gradient where the ReLU output was zero.</summary>
    public static void ReluGrad(ReadOnlySpan<float> output, Span<float> grad)
    {
        for (int i = 0; i < grad.Length; i++)
        {
            if (output[i] <= 0)
            {
                grad[i] = 0;
            }
        }
    }
}
