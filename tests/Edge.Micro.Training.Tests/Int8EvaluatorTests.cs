using Edge.Micro.Converter;
using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Tests;

/// <summary>Scoring clips through the interpreter (evaluation and the teacher's soft labels).</summary>
public class Int8EvaluatorTests
{
    // A stateful model over the dataset's features: SVDF (int8 state, zero point 3) from 1960 features to the
    // four labels. Its output depends on the inputs before, so a clip's score shows whether state leaked in.
    private static Model StatefulModel()
    {
        var random = new Random(2);
        byte[] Bytes(int n) => Enumerable.Range(0, n).Select(_ => (byte)(sbyte)random.Next(-127, 128)).ToArray();
        var b = new TfLiteBuilder();
        int input = b.AddTensor("features", TfLiteBuilder.TypeInt8, [1, SynthesisConstants.FeatureBytes], null, [0.1f], [-128]);
        int feature = b.AddTensor("weights_feature", TfLiteBuilder.TypeInt8, [4, SynthesisConstants.FeatureBytes], Bytes(4 * SynthesisConstants.FeatureBytes), [0.002f], [0]);
        int time = b.AddTensor("weights_time", TfLiteBuilder.TypeInt8, [4, 3], Bytes(12), [0.01f], [0]);
        int bias = b.AddTensor("bias", TfLiteBuilder.TypeInt32, [4], TfLiteBuilder.IntBytes([100, -100, 50, 0]), [0.5f * 0.01f], [0]);
        int state = b.AddTensor("state", TfLiteBuilder.TypeInt8, [1, 12], null, [0.5f], [3], isVariable: true);
        int output = b.AddTensor("scores", TfLiteBuilder.TypeInt8, [1, 4], null, [0.1f], [0]);
        b.AddOperator(TfLiteOps.Svdf, 4, [input, feature, time, bias, state], [output], 6, fb => TfLiteBuilder.Table(fb, 3, () => fb.AddInt(0, 1, 0)));
        return new Model(ModelConverter.Convert(b.Build("stateful", [input], [output]), "stateful").Emm);
    }

    [Fact]
    public void Each_clip_is_scored_from_a_reset_state_whatever_came_before()
    {
        var random = new Random(9);
        var features = new sbyte[3 * SynthesisConstants.FeatureBytes];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (sbyte)random.Next(-128, 128);
        }

        var data = new Dataset(["silence", "unknown", "yes", "no"], features, [0, 1, 2], [true, true, true]);
        Model model = StatefulModel();
        sbyte[] forward = Int8Evaluator.Outputs(model, data, [0, 1, 2], ManagedKernels.Instance);
        sbyte[] backward = Int8Evaluator.Outputs(model, data, [2, 1, 0], ManagedKernels.Instance);
        for (int clip = 0; clip < 3; clip++)
        {
            sbyte[] alone = Int8Evaluator.Outputs(model, data, [clip], ManagedKernels.Instance);
            Assert.Equal(alone, forward.Skip(4 * clip).Take(4));
            Assert.Equal(alone, backward.Skip(4 * (2 - clip)).Take(4));
        }
    }
}
