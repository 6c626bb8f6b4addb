using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Evaluation;

/// <summary>Accuracy of a converted int8 model on dataset clips, run by the project's interpreter (what the device computes).</summary>
public static class Int8Evaluator
{
    /// <summary>Accuracy and confusion matrix [true][predicted]; ties go to the first class, as on the device.</summary>
    public static (float Accuracy, int[,] Confusion) Evaluate(byte[] emm, Dataset data, int[] clips, IKernelSet kernels)
    {
        var model = new Model(emm);
        int outputs = model.ElementCount(model.OutputTensor(0));
        if (outputs != data.Labels.Length)
        {
            throw new ArgumentException($"the model has {outputs} outputs but the dataset {data.Labels.Length} labels");
        }

        var interpreter = new Interpreter(model, kernels);
        var input = new byte[SynthesisConstants.FeatureBytes];
        var output = new byte[outputs];
        var confusion = new int[outputs, outputs];
        int correct = 0;
        foreach (int clip in clips)
        {
            data.Clip(clip).CopyTo((sbyte[])(Array)input);
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);
            int best = 0;
            for (int i = 1; i < outputs; i++)
            {
                if ((sbyte)output[i] > (sbyte)output[best])
                {
                    best = i;
                }
            }

            confusion[data.ClipLabels[clip], best]++;
            correct += best == data.ClipLabels[clip] ? 1 : 0;
        }

        return (clips.Length == 0 ? 0 : (float)correct / clips.Length, confusion);
    }
}
