using System.Numerics.Tensors;

namespace Edge.Micro.Training.Learning;

/// <summary>A fully connected layer with TFLite's weight layout [outputs][inputs], no activation (it feeds the softmax).</summary>
public sealed class Dense(int inputs, int outputs) : ILayer
{
    public int Inputs { get; } = inputs;
    public int Outputs { get; } = outputs;
    public int InputSize => Inputs;
    public int OutputSize => Outputs;

    /// <summary>Weights [Outputs][Inputs].</summary>
    public float[] Weights { get; } = new float[inputs * outputs];

    /// <summary>One bias per output.</summary>
    public float[] Bias { get; } = new float[outputs];
    public float[][] Parameters => [Weights, Bias];

    /// <summary>Glorot-uniform initialization; biases zero.</summary>
    public void Initialize(Random rng)
    {
        WeightInit.Uniform(Weights, Math.Sqrt(6.0 / (Inputs + Outputs)), rng);
        Array.Clear(Bias);
    }

    public LayerCache CreateCache() => LayerCache.None;

    public void Forward(ReadOnlySpan<float> input, Span<float> output, LayerCache cache, Random? training)
    {
        for (int j = 0; j < Outputs; j++)
        {
            output[j] = Bias[j] + TensorPrimitives.Dot(input, Weights.AsSpan(j * Inputs, Inputs));
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        float[][] parameterGradients, LayerCache cache)
    {
        Span<float> weightGrad = parameterGradients[0], biasGrad = parameterGradients[1];
        if (!inputGrad.IsEmpty)
        {
            inputGrad.Clear();
        }

        for (int j = 0; j < Outputs; j++)
        {
            float g = outputGrad[j];
            biasGrad[j] += g;
            Span<float> wg = weightGrad.Slice(j * Inputs, Inputs);
            TensorPrimitives.MultiplyAdd(input, g, wg, wg);
            if (!inputGrad.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(Weights.AsSpan(j * Inputs, Inputs), g, inputGrad, inputGrad);
            }
        }
    }
}
