namespace Edge.Micro.Training.Learning;

/// <summary>
/// A keyword network: a chain of layers from the 49x40 feature image to one logit per class, trained with
/// softmax cross-entropy. Built by <see cref="Architectures"/>.
/// </summary>
public sealed class Network
{
    /// <summary>Feature frames (rows of the input image).</summary>
    public const int Frames = 49;

    /// <summary>Feature channels (columns of the input image).</summary>
    public const int Channels = 40;

    /// <summary>Chains the layers, checking that each one's output fits the next one's input.</summary>
    public Network(string architecture, IReadOnlyList<ILayer> layers)
    {
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i - 1].OutputSize != layers[i].InputSize)
            {
                throw new ArgumentException($"layer {i - 1} gives {layers[i - 1].OutputSize} values, layer {i} takes {layers[i].InputSize}");
            }
        }

        Architecture = architecture;
        Layers = layers;
    }

    /// <summary>Name of the architecture ("tiny", "tiny2", "dscnn").</summary>
    public string Architecture { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<ILayer> Layers { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => Layers[^1].OutputSize;

    /// <summary>Every trainable array, layer by layer (the optimizer and checkpoints rely on the order).</summary>
    public float[][] Parameters => Layers.SelectMany(l => l.Parameters).ToArray();

    /// <summary>Number of trainable parameters.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Length);

    /// <summary>Initializes every layer from one seeded generator.</summary>
    public void Initialize(Random rng)
    {
        foreach (ILayer layer in Layers)
        {
            layer.Initialize(rng);
        }
    }

    /// <summary>Per-thread buffers for one example's forward and backward pass, and gradient sums.</summary>
    public sealed class Workspace
    {
        internal Workspace(Network net)
        {
            Activations = [new float[net.Layers[0].InputSize], .. net.Layers.Select(l => new float[l.OutputSize])];
            ActivationGrads = Activations.Select(a => new float[a.Length]).ToArray();
            Caches = net.Layers.Select(l => l.CreateCache()).ToArray();
            LayerGradients = net.Layers.Select(l => l.Parameters.Select(p => new float[p.Length]).ToArray()).ToArray();
            Gradients = LayerGradients.SelectMany(g => g).ToArray();
            Probabilities = new float[net.Classes];
        }

        internal float[][] Activations { get; }
        internal float[][] ActivationGrads { get; }
        internal LayerCache[] Caches { get; }
        internal float[][][] LayerGradients { get; }

        /// <summary>The example's input (real-valued features), filled by the caller.</summary>
        public float[] Input => Activations[0];

        /// <summary>Logits of the last forward pass.</summary>
        public float[] Logits => Activations[^1];

        /// <summary>The output of layer <paramref name="layer"/> in the last forward pass.</summary>
        public float[] OutputOf(int layer) => Activations[layer + 1];

        /// <summary>Softmax of the last loss computation.</summary>
        public float[] Probabilities { get; }

        /// <summary>Summed gradients, parallel to <see cref="Parameters"/>.</summary>
        public float[][] Gradients { get; }

        /// <summary>Clears the gradient sums.</summary>
        public void ClearGradients()
        {
            foreach (float[] g in Gradients)
            {
                Array.Clear(g);
            }
        }
    }

    /// <summary>A workspace for one thread.</summary>
    public Workspace CreateWorkspace() => new(this);

    /// <summary>Runs the network on <see cref="Workspace.Input"/>; <paramref name="training"/> enables dropout. Returns the logits.</summary>
    public float[] Forward(Workspace ws, Random? training = null)
    {
        for (int i = 0; i < Layers.Count; i++)
        {
            Layers[i].Forward(ws.Activations[i], ws.Activations[i + 1], ws.Caches[i], training);
        }

        return ws.Logits;
    }

    /// <summary>Cross-entropy of the last forward pass for <paramref name="label"/>; adds its gradients times <paramref name="scale"/>.</summary>
    public float Backward(Workspace ws, int label, float scale)
    {
        float loss = Losses.SoftmaxCrossEntropy(ws.Logits, label, ws.Probabilities);
        Losses.SoftmaxCrossEntropyGrad(ws.Probabilities, label, scale, ws.ActivationGrads[^1]);
        BackwardFromLogits(ws);
        return loss;
    }

    /// <summary>
    /// Cross-entropy against a soft target distribution (knowledge distillation); the logit gradient is
    /// p - target, times <paramref name="scale"/>.
    /// </summary>
    public float Backward(Workspace ws, ReadOnlySpan<float> target, float scale)
    {
        Losses.SoftmaxCrossEntropy(ws.Logits, 0, ws.Probabilities);
        float loss = 0;
        float[] logitGrad = ws.ActivationGrads[^1];
        for (int i = 0; i < Classes; i++)
        {
            loss -= target[i] * MathF.Log(Math.Max(ws.Probabilities[i], 1e-12f));
            logitGrad[i] = scale * (ws.Probabilities[i] - target[i]);
        }

        BackwardFromLogits(ws);
        return loss;
    }

    private void BackwardFromLogits(Workspace ws)
    {
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            Span<float> inputGrad = i == 0 ? Span<float>.Empty : ws.ActivationGrads[i];
            Layers[i].Backward(ws.Activations[i], ws.Activations[i + 1], ws.ActivationGrads[i + 1], inputGrad, ws.LayerGradients[i], ws.Caches[i]);
        }
    }
}
