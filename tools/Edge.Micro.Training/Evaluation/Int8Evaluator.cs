using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Evaluation;

/// <summary>A converted int8 model run over dataset clips by the project's interpreter (what the device computes).</summary>
public static class Int8Evaluator
{
    /// <summary>
    /// The model's int8 outputs for each clip, <c>outputs</c> values per clip in <paramref name="clips"/> order;
    /// the model must take the 49x40 int8 features and give one output per dataset label.
    /// </summary>
    public static sbyte[] Outputs(Model model, Dataset data, int[] clips, IKernelSet kernels)
    {
        int outputs = model.ElementCount(model.OutputTensor(0));
        if (model.ElementCount(model.InputTensor(0)) != SynthesisConstants.FeatureBytes || outputs != data.Labels.Length)
        {
            throw new ArgumentException($"the model must take {SynthesisConstants.FeatureBytes} int8 features and give {data.Labels.Length} outputs, one per dataset label; it gives {outputs}");
        }

        var interpreter = new Interpreter(model, kernels);
        var input = new byte[SynthesisConstants.FeatureBytes];
        var output = new byte[outputs];
        var result = new sbyte[clips.Length * outputs];
        for (int i = 0; i < clips.Length; i++)
        {
            data.Clip(clips[i]).CopyTo((sbyte[])(Array)input);

            // Clips are independent: a stateful model (SVDF, e.g. a teacher) starts each one from a reset state.
            interpreter.ResetState();
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);
            Buffer.BlockCopy(output, 0, result, i * outputs, outputs);
        }

        return result;
    }

    /// <summary>Accuracy and confusion matrix [true][predicted]; ties go to the first class, as on the device.</summary>
    public static (float Accuracy, int[,] Confusion) Evaluate(byte[] emm, Dataset data, int[] clips, IKernelSet kernels)
    {
        int classes = data.Labels.Length;
        sbyte[] scores = Outputs(new Model(emm), data, clips, kernels);
        var confusion = new int[classes, classes];
        int correct = 0;
        for (int i = 0; i < clips.Length; i++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (scores[i * classes + c] > scores[i * classes + best])
                {
                    best = c;
                }
            }

            confusion[data.ClipLabels[clips[i]], best]++;
            correct += best == data.ClipLabels[clips[i]] ? 1 : 0;
        }

        return (clips.Length == 0 ? 0 : (float)correct / clips.Length, confusion);
    }
}
