using Edge.Micro.Converter.Lowering;
using Edge.Micro.Converter.Lowering.Ops;
using Edge.Micro.Converter.Planning;
using Edge.Micro.Converter.Emit;
using Edge.Micro.Converter.TfLite;
using Edge.Micro.Host.Native;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// int16 LOGISTIC and TANH: the sigmoid table derived from the corpus equals the shipped one, the converter
/// prepares what TFLM prepares for each corpus scale, and the kernels reproduce the LSTM's activation calls
/// (which no op-level model reaches) for every input, managed and native. The op-level models run through
/// <see cref="CorpusGoldenTests"/>.
/// </summary>
public class ActivationS16Tests
{
    [SkippableFact]
    public void The_corpus_fixes_every_node_of_the_sigmoid_table_and_it_is_the_shipped_one()
    {
        List<int>[] nodes = SigmoidTableDerivation.Derive(Corpus.Require());
        Assert.All(nodes.Select((c, i) => (c, i)), n => Assert.True(n.c.Count == 1, $"node {n.i}: candidates [{string.Join(",", n.c)}]"));
        Assert.Equal(SigmoidTable.Nodes.Select(v => (int)v), nodes.Select(c => c[0]));
    }

    [Theory]
    // Corpus MANIFEST section 9: what TFLM's Prepare derives from each input scale (float32 bit patterns).
    [InlineData(0x395C3372, true, 21139, 13)]
    [InlineData(0x3A83126F, true, 25165, 11)]
    [InlineData(0x3A800000, true, 24576, 11)]
    [InlineData(0x3A000000, true, 24576, 12)]
    [InlineData(0x39800000, true, 0, 0)]
    [InlineData(0x39000000, true, 24576, 14)]
    [InlineData(0x38000000, true, 24576, 16)]
    [InlineData(0x395C3372, false, 21139, 13)]
    [InlineData(0x3A83126F, false, 25165, 11)]
    [InlineData(0x3A800000, false, 24576, 11)]
    [InlineData(0x3A000000, false, 0, 1)]
    [InlineData(0x39800000, false, 0, 0)]
    [InlineData(0x39000000, false, 24576, 14)]
    [InlineData(0x38000000, false, 24576, 16)]
    public void The_converter_prepares_what_TFLM_prepares(int scaleBits, bool logistic, int multiplier, int leftShift)
    {
        Assert.Equal((multiplier, leftShift), ActivationLowering.InputRescale(BitConverter.Int32BitsToSingle(scaleBits), logistic));
    }

    [Theory]
    [InlineData(3.0f)]
    [InlineData(1e-14f)]
    public void Scales_no_shift_can_hold_are_refused(float scale)
    {
        Assert.Null(ActivationLowering.InputRescale(scale, logistic: true));
    }

    public static TheoryData<string> Kernels => new(KernelChoice.Names);

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void The_lstm_activation_calls_match_TFLM_for_every_input(string kernels)
    {
        string corpus = Corpus.Require();
        IKernelSet kernelSet = NativeLibrary.Require(kernels);
        short[] inputs = SigmoidTableDerivation.AllInputs();
        var inputBytes = new byte[inputs.Length * 2];
        Buffer.BlockCopy(inputs, 0, inputBytes, 0, inputBytes.Length);
        int checkedFiles = 0;
        foreach (var (file, logistic, multiplier, leftShift) in SigmoidTableDerivation.Observations(corpus).Where(o => o.File.Contains("lstm_kernel_calls")))
        {
            var interpreter = new Interpreter(new Model(ModelWithParams(corpus, logistic, multiplier, leftShift)), kernelSet);
            interpreter.SetInput(0, inputBytes, 0);
            interpreter.Invoke();
            var output = new byte[inputBytes.Length];
            interpreter.GetOutput(0, output, 0);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(output), $"{Path.GetFileName(file)} differs");
            checkedFiles++;
        }

        Assert.Equal(9, checkedFiles);
    }

    [Fact]
    public void Out_of_range_parameters_are_refused_by_the_loader()
    {
        Assert.True(ActivationS16.ParamsValid(0, 14));
        Assert.False(ActivationS16.ParamsValid(0, 15));
        Assert.True(ActivationS16.ParamsValid(32767, 30));
        Assert.False(ActivationS16.ParamsValid(32768, 1));
        Assert.False(ActivationS16.ParamsValid(-1, 1));
        Assert.False(ActivationS16.ParamsValid(24576, 31));
    }

    /// <summary>The corpus's 2^-12 model of the op, lowered, with its rescale replaced by an LSTM call's.</summary>
    private static byte[] ModelWithParams(string corpus, bool logistic, int multiplier, int leftShift)
    {
        string name = logistic ? "logistic_int16_scale2pow-12" : "tanh_int16_scale2pow-12";
        var model = TfLiteModel.Parse(File.ReadAllBytes(Path.Combine(corpus, "int16_activations", "models", name + ".tflite")));
        EmmGraph graph = Lowerer.Lower(model, name);
        graph.Ops[0].Params[ActivationS16.InputMultiplier] = multiplier;
        graph.Ops[0].Params[ActivationS16.InputLeftShift] = leftShift;
        ArenaPlanner.Plan(graph);
        return EmmWriter.Write(graph);
    }
}
