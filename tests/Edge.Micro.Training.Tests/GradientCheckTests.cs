using Edge.Micro.Training.Learning;

namespace Edge.Micro.Training.Tests;

/// <summary>Every layer's backward pass against central finite differences of a random linear objective.</summary>
public class GradientCheckTests
{
    private const float Step = 1e-3f;
    private const double Tolerance = 2e-2;
    private const double AbsoluteTolerance = 3e-3;

    public static TheoryData<string> Layers => ["conv", "conv-relu", "conv-1x1", "depthwise-relu", "depthwise-stride2", "pool", "dense", "dropout"];

    private static ILayer Make(string name) => name switch
    {
        "conv" => new Conv2D(7, 6, 2, 3, 3, 2, 2, relu: false),
        "conv-relu" => new Conv2D(7, 6, 2, 3, 3, 2, 2, relu: true),
        "conv-1x1" => new Conv2D(4, 5, 3, 4, 1, 1, 1, relu: false),
        "depthwise-relu" => new DepthwiseConv2D(5, 6, 3, 3, 3, 1, relu: true),
        "depthwise-stride2" => new DepthwiseConv2D(5, 6, 3, 3, 3, 2, relu: false),
        "pool" => new GlobalAveragePool(3, 4, 5),
        "dense" => new Dense(9, 4),
        "dropout" => new Dropout(12, 0.5f),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_parameter_and_input_gradients_match_finite_differences(string name)
    {
        var rng = new Random(3);
        ILayer layer = Make(name);
        layer.Initialize(rng);
        foreach (float[] p in layer.Parameters)
        {
            Fill(p, rng); // non-zero biases too
        }

        float[] input = Random(layer.InputSize, rng);
        float[] weightsOfOutput = Random(layer.OutputSize, rng);
        var output = new float[layer.OutputSize];
        LayerCache cache = layer.CreateCache();
        // Dropout draws its mask in training mode; the objective replays the same mask with the same seed.
        float Objective()
        {
            layer.Forward(input, output, cache, layer is Dropout ? new Random(8) : null);
            return Dot(output, weightsOfOutput);
        }

        Objective();
        float[][] grads = layer.Parameters.Select(p => new float[p.Length]).ToArray();
        var inputGrad = new float[layer.InputSize];
        layer.Backward(input, output, weightsOfOutput, inputGrad, grads, cache);
        for (int a = 0; a < grads.Length; a++)
        {
            AssertMatches(layer.Parameters[a], grads[a], Objective, $"{name} parameter array {a}");
        }

        AssertMatches(input, inputGrad, Objective, $"{name} input");
    }

    [Fact]
    public void Softmax_cross_entropy_gradient_matches_finite_differences()
    {
        float[] logits = [0.3f, -1.2f, 2.0f, 0.1f];
        var p = new float[4];
        var grad = new float[4];
        Losses.SoftmaxCrossEntropy(logits, 2, p);
        Losses.SoftmaxCrossEntropyGrad(p, 2, 1f, grad);
        AssertMatches(logits, grad, () => Losses.SoftmaxCrossEntropy(logits, 2, new float[4]), "logits");
    }

    [Theory]
    [InlineData("tiny", 2)]
    [InlineData("tiny2", 2)]
    [InlineData("dscnn", 4)]
    public void Whole_network_gradient_matches_finite_differences(string architecture, int width)
    {
        var rng = new Random(5);
        Network net = Architectures.Create(architecture, 3, width, dropout: 0f);
        net.Initialize(rng);
        // Non-zero biases: with zero biases, positions that see only padding sit exactly on a ReLU kink.
        foreach (ILayer layer in net.Layers.Where(l => l.Parameters.Length == 2))
        {
            foreach (ref float b in layer.Parameters[1].AsSpan())
            {
                b = (float)(rng.NextDouble() * 0.2 - 0.1);
            }
        }

        Network.Workspace ws = net.CreateWorkspace();
        Fill(ws.Input, rng);
        float Objective()
        {
            net.Forward(ws);
            return Losses.SoftmaxCrossEntropy(ws.Logits, 1, new float[3]);
        }

        Objective();
        ws.ClearGradients();
        net.Backward(ws, 1, 1f);
        float[][] parameters = net.Parameters;
        for (int a = 0; a < parameters.Length; a++)
        {
            var picked = Enumerable.Range(0, 8).Select(_ => rng.Next(parameters[a].Length)).Distinct().ToArray();
            // A small step: a larger one moves many ReLU inputs across zero.
            AssertMatches(parameters[a], ws.Gradients[a], Objective, $"{architecture} parameter array {a}", picked, step: 1e-4f);
        }
    }

    private static void AssertMatches(float[] values, float[] analytic, Func<float> objective, string what, int[]? only = null, float step = Step)
    {
        foreach (int i in only ?? Enumerable.Range(0, values.Length).ToArray())
        {
            float keep = values[i];
            values[i] = keep + step;
            double up = objective();
            values[i] = keep - step;
            double down = objective();
            values[i] = keep;
            double numeric = (up - down) / (2 * step);
            // Relative agreement, with an absolute floor for tiny gradients and ReLU kinks inside the step.
            Assert.True(Math.Abs(numeric - analytic[i]) <= AbsoluteTolerance + Tolerance * Math.Abs(numeric),
                $"{what}[{i}]: analytic {analytic[i]}, finite differences {numeric}");
        }
    }

    private static float[] Random(int n, Random rng)
    {
        var x = new float[n];
        Fill(x, rng);
        return x;
    }

    private static void Fill(float[] x, Random rng)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1);
        }
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
