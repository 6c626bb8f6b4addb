using System.Diagnostics;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Learning;

/// <summary>Settings of <see cref="Trainer"/>.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 64;
    public float LearningRate { get; init; } = 0.002f;
    public float WeightDecay { get; init; } = 1e-4f;
    /// <summary>Network shape: "tiny", "tiny2" or "dscnn" (see <see cref="Architectures"/>).</summary>
    public string Architecture { get; init; } = "tiny";
    public int Width { get; init; } = 8;

    /// <summary>Dropout rate before the classifier (null: 0.5 for tiny, 0.2 for dscnn).</summary>
    public float? Dropout { get; init; }

    /// <summary>Time and frequency masking of the features (SpecAugment) in training.</summary>
    public bool SpecAugment { get; init; } = true;
    public int Seed { get; init; } = 1;

    /// <summary>With a teacher: the weight of its soft labels in the target (the rest is the true label).</summary>
    public float TeacherWeight { get; init; } = 0.5f;
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>One epoch's numbers.</summary>
public sealed record EpochReport(int Epoch, float Loss, float TrainAccuracy, float ValidationAccuracy, float LearningRate, double Seconds);

/// <summary>
/// Mini-batch training with Adam, a warm-up then cosine learning-rate schedule, dropout and SpecAugment. Each
/// batch is split between the threads in fixed halves and the gradients summed in a fixed order, and every
/// example's random choices come from a generator seeded by (seed, epoch, example), so a seed gives the same
/// weights whatever the thread timing. The weights of the epoch with the best validation accuracy are kept.
/// </summary>
public static class Trainer
{
    private const int WarmUpSteps = 100;
    private const float FinalLearningRateFraction = 0.02f;

    /// <summary>
    /// Trains a <see cref="Network"/> on the dataset's training split: a new one, or <paramref name="initial"/>
    /// (fine-tuning, e.g. after pruning). With <paramref name="teacherProbabilities"/> (classes values per
    /// clip, from a larger model) the targets mix the teacher's soft labels with the true labels.
    /// </summary>
    public static Network Train(Dataset data, TrainingOptions o, Action<EpochReport>? report = null, Network? initial = null,
        float[]? teacherProbabilities = null)
    {
        if (o.Epochs < 1 || o.BatchSize < 1)
        {
            throw new ArgumentException("--epochs and the batch size must be at least 1");
        }

        int[] train = data.Split(validation: false);
        int[] validation = data.Split(validation: true);
        if (train.Length == 0)
        {
            throw new ArgumentException("the dataset has no training clips");
        }

        Network net = initial ?? Architectures.Create(o.Architecture, data.Labels.Length, o.Width, o.Dropout ?? Architectures.DefaultDropout(o.Architecture));
        if (initial == null)
        {
            net.Initialize(new Random(o.Seed));
        }

        int classes = data.Labels.Length;
        if (teacherProbabilities != null && teacherProbabilities.Length != data.Count * classes)
        {
            throw new ArgumentException($"the teacher gave {teacherProbabilities.Length} probabilities for {data.Count} clips of {classes} classes");
        }

        var adam = new Adam(net.Parameters, o.WeightDecay);
        int threads = Math.Max(1, o.Threads);
        var workspaces = Enumerable.Range(0, threads).Select(_ => net.CreateWorkspace()).ToArray();
        var order = (int[])train.Clone();
        var shuffle = new Random(o.Seed + 1);
        int stepsPerEpoch = (train.Length + o.BatchSize - 1) / o.BatchSize;
        int totalSteps = stepsPerEpoch * o.Epochs;
        int step = 0;
        float bestAccuracy = -1;
        float[][] best = net.Parameters.Select(p => (float[])p.Clone()).ToArray();
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            shuffle.Shuffle(order);
            double lossSum = 0;
            int correct = 0;
            float rate = 0;
            for (int start = 0; start < order.Length; start += o.BatchSize)
            {
                int count = Math.Min(o.BatchSize, order.Length - start);
                var losses = new double[threads];
                var hits = new int[threads];
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    Network.Workspace ws = workspaces[t];
                    ws.ClearGradients();
                    var target = new float[classes];
                    int from = start + count * t / threads, to = start + count * (t + 1) / threads;
                    for (int i = from; i < to; i++)
                    {
                        int clip = order[i];
                        var rng = new Random(unchecked(o.Seed * 7919 + epoch * 104729 + clip));
                        FeatureScaling.ToReal(data.Clip(clip), ws.Input);
                        if (o.SpecAugment)
                        {
                            SpecAugment.TimeShift(ws.Input, rng);
                            SpecAugment.Apply(ws.Input, rng);
                        }

                        net.Forward(ws, rng);
                        if (teacherProbabilities == null)
                        {
                            losses[t] += net.Backward(ws, data.ClipLabels[clip], 1f / count);
                        }
                        else
                        {
                            for (int c = 0; c < classes; c++)
                            {
                                target[c] = o.TeacherWeight * teacherProbabilities[clip * classes + c] + (1 - o.TeacherWeight) * (c == data.ClipLabels[clip] ? 1f : 0f);
                            }

                            losses[t] += net.Backward(ws, target, 1f / count);
                        }

                        hits[t] += ArgMax(ws.Probabilities) == data.ClipLabels[clip] ? 1 : 0;
                    }
                });
                for (int t = 1; t < threads; t++)
                {
                    for (int a = 0; a < workspaces[0].Gradients.Length; a++)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(workspaces[0].Gradients[a], workspaces[t].Gradients[a], workspaces[0].Gradients[a]);
                    }
                }

                rate = LearningRate(o.LearningRate, step++, totalSteps);
                adam.Step(workspaces[0].Gradients, rate);
                lossSum += losses.Sum();
                correct += hits.Sum();
            }

            float validationAccuracy = validation.Length > 0 ? Evaluate(net, data, validation, threads).Accuracy : (float)correct / order.Length;
            if (validationAccuracy > bestAccuracy)
            {
                bestAccuracy = validationAccuracy;
                CopyInto(net.Parameters, best);
            }

            report?.Invoke(new EpochReport(epoch, (float)(lossSum / order.Length), (float)correct / order.Length, validationAccuracy, rate,
                clock.Elapsed.TotalSeconds));
        }

        CopyInto(best, net.Parameters);
        return net;
    }

    /// <summary>Float accuracy and confusion matrix [true][predicted] of the network on some clips.</summary>
    public static (float Accuracy, int[,] Confusion) Evaluate(Network net, Dataset data, int[] clips, int threads = 2)
    {
        var predicted = new int[clips.Length];
        var workspaces = new ThreadLocal<Network.Workspace>(net.CreateWorkspace);
        Parallel.For(0, clips.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            Network.Workspace ws = workspaces.Value!;
            FeatureScaling.ToReal(data.Clip(clips[i]), ws.Input);
            predicted[i] = ArgMax(net.Forward(ws));
        });
        var confusion = new int[data.Labels.Length, data.Labels.Length];
        int correct = 0;
        for (int i = 0; i < clips.Length; i++)
        {
            confusion[data.ClipLabels[clips[i]], predicted[i]]++;
            correct += predicted[i] == data.ClipLabels[clips[i]] ? 1 : 0;
        }

        return (clips.Length == 0 ? 0 : (float)correct / clips.Length, confusion);
    }

    /// <summary>Index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static float LearningRate(float peak, int step, int totalSteps)
    {
        if (step < WarmUpSteps)
        {
            return peak * (step + 1) / WarmUpSteps;
        }

        double progress = (double)(step - WarmUpSteps) / Math.Max(1, totalSteps - WarmUpSteps);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
        return (float)(peak * (FinalLearningRateFraction + (1 - FinalLearningRateFraction) * cosine));
    }

    private static void CopyInto(float[][] from, float[][] to)
    {
        for (int a = 0; a < from.Length; a++)
        {
            Array.Copy(from[a], to[a], from[a].Length);
        }
    }
}
