using Edge.Micro.Runtime;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// Edge.Micro against TensorFlow Lite's own interpreter (<see cref="TfLiteReference"/>): the reference first
/// proves itself on the corpus's TFLM goldens, then the project's exported models must load in it and give
/// the same int8 outputs as the project's interpreter, byte for byte.
/// </summary>
public class TfLiteReferenceTests
{
    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int[] Ours(Interpreter interpreter, byte[] input)
    {
        interpreter.SetInput(0, input, 0);
        interpreter.Invoke();
        var output = new byte[interpreter.Model.ByteSize(interpreter.Model.OutputTensor(0))];
        interpreter.GetOutput(0, output, 0);
        return output.Select(b => (int)(sbyte)b).ToArray();
    }

    [SkippableFact]
    public void The_reference_reproduces_the_TFLM_goldens_of_micro_speech()
    {
        TfLiteReference.Require();
        byte[] model = File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite"));
        string[] cases = Directory.GetDirectories(Corpus.PathOf("micro_speech"), "rand_seed*").Order().ToArray();
        Assert.NotEmpty(cases);
        double[][] outputs = TfLiteReference.Run(model, cases.Select(c => File.ReadAllBytes(Path.Combine(c, "input.bin"))).ToArray());
        for (int i = 0; i < cases.Length; i++)
        {
            int[] golden = File.ReadAllBytes(Path.Combine(cases[i], "output.bin")).Select(b => (int)(sbyte)b).ToArray();
            Assert.Equal(golden, outputs[i].Select(v => (int)v));
        }
    }

    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("native")]
    public void The_shipped_model_gives_tensorflow_lites_outputs_byte_for_byte(string kernels)
    {
        TfLiteReference.Require();
        byte[] tflite = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.tflite"));
        var interpreter = new Interpreter(new Model(File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"))), NativeLibrary.Require(kernels));
        var random = new Random(21);
        byte[][] inputs = Enumerable.Range(0, 16).Select(_ => RandomBytes(random, interpreter.Model.ByteSize(interpreter.Model.InputTensor(0)))).ToArray();
        double[][] expected = TfLiteReference.Run(tflite, inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i].Select(v => (int)v), Ours(interpreter, inputs[i]));
        }
    }

    [SkippableFact]
    public void An_int16_state_svdf_gives_tensorflow_lites_outputs_step_by_step()
    {
        // TensorFlow Lite's integer SVDF takes int16 state and time weights (the int8 state is TFLM's own).
        TfLiteReference.Require();
        SvdfModel model = SvdfModel.Create(seed: 12, wideFirstLayer: true);
        var interpreter = new Interpreter(new Model(ModelConverter.Convert(model.TfLite, "svdf").Emm));
        var random = new Random(3);
        byte[][] inputs = Enumerable.Range(0, 30).Select(_ => RandomBytes(random, model.Layers[0].InputSize)).ToArray();
        double[][] expected = TfLiteReference.Run(model.TfLite, inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i].Select(v => (int)v), Ours(interpreter, inputs[i]));
        }

        // Varied, mostly unsaturated outputs, or the agreement would prove little.
        double[] all = expected.SelectMany(v => v).ToArray();
        Assert.True(all.Distinct().Count() > 30, $"{all.Distinct().Count()} distinct output values");
        Assert.True(all.Count(v => v is -128 or 127) < all.Length / 10, $"{all.Count(v => v is -128 or 127)} of {all.Length} outputs saturated");
    }
}
