using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Learning;

/// <summary>Soft labels from a larger int8 model (any .emm with the 49x40 int8 input and the dataset's classes).</summary>
public static class Teacher
{
    /// <summary>The teacher's dequantized output probabilities for every clip, classes values per clip.</summary>
    public static float[] Probabilities(byte[] emm, Dataset data, IKernelSet kernels)
    {
        var model = new Model(emm);
        int classes = data.Labels.Length;
        int output = model.OutputTensor(0);
        float scale = model.Scale(output);
        int zeroPoint = model.ZeroPoint(output);
        sbyte[] scores = Int8Evaluator.Outputs(model, data, Enumerable.Range(0, data.Count).ToArray(), kernels);
        var result = new float[data.Count * classes];
        for (int clip = 0; clip < data.Count; clip++)
        {
            float sum = 0;
            for (int c = 0; c < classes; c++)
            {
                result[clip * classes + c] = Math.Max(0, (scores[clip * classes + c] - zeroPoint) * scale);
                sum += result[clip * classes + c];
            }

            for (int c = 0; c < classes; c++)
            {
                result[clip * classes + c] = sum > 0 ? result[clip * classes + c] / sum : 1f / classes;
            }
        }

        return result;
    }
}
