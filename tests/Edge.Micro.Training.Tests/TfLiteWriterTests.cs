using Edge.Micro.Converter;
using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime;
using Edge.Micro.Training.Export;
using Edge.Micro.Training.Learning;
using Edge.Micro.Training.Quantization;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Tests;

/// <summary>The TFLite writer's output read back by the project's reader, converted and run.</summary>
public class TfLiteWriterTests
{
    private static (Network Net, Dataset Data, QuantizedNetwork Model) RandomModel(string architecture = "tiny", int width = 8)
    {
        var rng = new Random(11);
        Network net = Architectures.Create(architecture, 4, width, 0.5f);
        net.Initialize(rng);
        foreach (ILayer layer in net.Layers.Where(l => l.Parameters.Length == 2))
        {
            for (int i = 0; i < layer.Parameters[1].Length; i++)
            {
                layer.Parameters[1][i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
            }
        }

        const int clips = 40;
        var features = new sbyte[clips * SynthesisConstants.FeatureBytes];
        rng.NextBytes((byte[])(Array)features);
        var data = new Dataset(["silence", "unknown", "yes", "no"], features, new int[clips], new bool[clips]);
        QuantizedNetwork model = Quantizer.Quantize(net, data, Enumerable.Range(0, clips).ToArray(), "test model");
        return (net, data, model);
    }

    [Fact]
    public void Written_model_reads_back_with_its_ops_tensors_quantization_and_weights()
    {
        (_, _, QuantizedNetwork m) = RandomModel();
        TfLiteModel read = TfLiteModel.Parse(TfLiteWriter.Write(m));
        QuantizedOp conv = m.Ops[0], dense = m.Ops[1];

        Assert.Equal("test model", read.Description);
        Assert.Equal(["CONV_2D", "FULLY_CONNECTED", "SOFTMAX"], read.Operators.Select(o => o.Name));
        Assert.Equal([0], read.Inputs);
        Assert.Equal([7], read.Outputs);
        TfTensor input = read.Tensors[0];
        Assert.Equal(TfLiteType.Int8, input.Type);
        Assert.Equal(m.InputShape, input.Shape);
        Assert.Equal(m.Input.Scales[0], input.Scale);
        Assert.Equal(-128, input.ZeroPoint);
        TfTensor convWeights = read.Tensors[read.Operators[0].Inputs[1]];
        Assert.Equal(conv.WeightShape, convWeights.Shape);
        Assert.Equal(conv.WeightQuant!.Scales, convWeights.Scales);
        Assert.Equal((byte[])(Array)conv.Weights!, convWeights.Data);
        TfTensor convBias = read.Tensors[read.Operators[0].Inputs[2]];
        Assert.Equal(TfLiteType.Int32, convBias.Type);
        Assert.Equal(conv.Bias, Enumerable.Range(0, conv.Bias!.Length).Select(i => BitConverter.ToInt32(convBias.Data!, 4 * i)));
        Assert.Equal(conv.Output.Scales[0], read.Tensors[read.Operators[0].Outputs[0]].Scale);
        TfTensor denseWeights = read.Tensors[read.Operators[1].Inputs[1]];
        Assert.Equal((byte[])(Array)dense.Weights!, denseWeights.Data);
        Assert.Equal(1f / 256f, read.Tensors[7].Scale);
        Assert.Equal(-128, read.Tensors[7].ZeroPoint);
    }

    [Fact]
    public void Written_dscnn_has_depthwise_pool_and_per_channel_depthwise_quantization()
    {
        (_, _, QuantizedNetwork m) = RandomModel("dscnn", 6);
        TfLiteModel read = TfLiteModel.Parse(TfLiteWriter.Write(m));

        Assert.Equal(["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"],
            read.Operators.Select(o => o.Name));
        TfTensor depthwise = read.Tensors[read.Operators[1].Inputs[1]];
        Assert.Equal([1, 3, 3, 6], depthwise.Shape);
        Assert.Equal(3, depthwise.QuantizedDimension);
        Assert.Equal(6, depthwise.Scales.Length);
        Assert.Equal([1, 1, 1, 6], read.Tensors[read.Operators[7].Outputs[0]].Shape);
    }

    [Theory]
    [InlineData("tiny", 8)]
    [InlineData("tiny2", 4)]
    [InlineData("dscnn", 8)]
    public void Written_model_converts_and_its_int8_predictions_follow_the_float_network(string architecture, int width)
    {
        (Network net, Dataset data, QuantizedNetwork m) = RandomModel(architecture, width);
        ConversionResult converted = ModelConverter.Convert(TfLiteWriter.Write(m), "written");
        var model = new Model(converted.Emm);
        var interpreter = new Interpreter(model);
        Network.Workspace ws = net.CreateWorkspace();
        var output = new byte[4];
        int agree = 0;
        for (int clip = 0; clip < data.Count; clip++)
        {
            interpreter.SetInput(0, (byte[])(Array)data.Clip(clip).ToArray(), 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);
            FeatureScaling.ToReal(data.Clip(clip), ws.Input);
            float[] logits = net.Forward(ws);
            var probabilities = new float[4];
            Losses.SoftmaxCrossEntropy(logits, 0, probabilities);
            for (int i = 0; i < 4; i++)
            {
                // int8 softmax output = p * 256 - 128, within the quantization error of two layers.
                Assert.InRange((sbyte)output[i] - (probabilities[i] * 256 - 128), -12, 12);
            }

            agree += Trainer.ArgMax(logits) == Enumerable.Range(0, 4).MaxBy(i => (sbyte)output[i]) ? 1 : 0;
        }

        Assert.True(agree >= data.Count * 9 / 10, $"int8 and float agree on {agree} of {data.Count} clips");
    }
}
