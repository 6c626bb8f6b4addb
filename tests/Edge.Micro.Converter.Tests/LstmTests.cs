using Edge.Micro.Host.Native;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// The corpus's two int8 LSTM models beyond their outputs and intermediates (<see cref="CorpusGoldenTests"/>):
/// the hidden and cell state each case leaves behind, and state carried across invokes on one interpreter
/// (TFLM's stateful_seq_seeds1-8), then reset, managed and native.
/// </summary>
public class LstmTests
{
    public static TheoryData<string, string> ModelsAndKernels()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in new[] { CorpusModels.LstmA, CorpusModels.LstmB })
        {
            foreach (string kernels in KernelChoice.Names)
            {
                data.Add(model, kernels);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ModelsAndKernels))]
    public void Every_case_leaves_TFLMs_final_hidden_and_cell_state(string model, string kernels)
    {
        var runtimeModel = new Model(CorpusModels.Converted(model).Emm);
        int cases = 0;
        foreach (string dir in Directory.GetDirectories(CorpusModels.GoldensPath(model), "rand_seed*"))
        {
            var interpreter = new Interpreter(runtimeModel, NativeLibrary.Require(kernels));
            interpreter.SetInput(0, File.ReadAllBytes(Path.Combine(dir, "input.bin")), 0);
            interpreter.Invoke();
            foreach (string line in File.ReadAllLines(Path.Combine(dir, "final_state", "index.txt")).Where(l => !l.StartsWith('#')))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                byte[] expected = File.ReadAllBytes(Path.Combine(dir, "final_state", f[1]));
                int tensor = Enumerable.Range(0, runtimeModel.TensorCount).Single(t => runtimeModel.TensorName(t) == f[^1]);
                Assert.True(runtimeModel.IsState(tensor), $"{f[^1]} is not a state tensor");
                byte[] actual = interpreter.Arena.AsSpan(runtimeModel.DataOffset(tensor), expected.Length).ToArray();
                Assert.True(expected.SequenceEqual(actual), $"{Path.GetFileName(dir)}: {f[^1]} differs from TFLM's final state");
            }

            cases++;
        }

        Assert.Equal(8, cases);
    }

    [SkippableTheory]
    [MemberData(nameof(ModelsAndKernels))]
    public void State_carries_across_invokes_as_in_TFLM_and_reset_starts_afresh(string model, string kernels)
    {
        var runtimeModel = new Model(CorpusModels.Converted(model).Emm);
        string sequence = Path.Combine(CorpusModels.GoldensPath(model), "stateful_seq_seeds1-8");
        var interpreter = new Interpreter(runtimeModel, NativeLibrary.Require(kernels));
        var output = new byte[runtimeModel.ByteSize(runtimeModel.OutputTensor(0))];
        for (int k = 0; k < 8; k++)
        {
            interpreter.SetInput(0, File.ReadAllBytes(Path.Combine(sequence, $"invoke{k}_input.bin")), 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);
            Assert.True(File.ReadAllBytes(Path.Combine(sequence, $"invoke{k}_output.bin")).SequenceEqual(output), $"invoke {k} differs");
        }

        // TFLM's Reset(): the seed-8 input then gives the fresh interpreter's output again.
        interpreter.ResetState();
        interpreter.SetInput(0, File.ReadAllBytes(Path.Combine(sequence, "invoke7_input.bin")), 0);
        interpreter.Invoke();
        interpreter.GetOutput(0, output, 0);
        Assert.True(File.ReadAllBytes(Path.Combine(CorpusModels.GoldensPath(model), "rand_seed8", "output.bin")).SequenceEqual(output));
    }

    [SkippableFact]
    public void The_lstm_lowers_to_one_op_with_two_state_tensors()
    {
        var m = new Model(CorpusModels.Converted(CorpusModels.LstmB).Emm);
        Assert.Equal(OpCode.UnidirectionalSequenceLstm, m.Op(0));
        Assert.Equal(11, m.OpInputCount(0));
        Assert.Equal(2, Enumerable.Range(0, m.TensorCount).Count(m.IsState));
    }
}

/// <summary>Batches and layouts on a generated two-batch LSTM (<see cref="LstmModel"/>).</summary>
public class LstmLayoutTests
{
    private static byte[] Run(byte[] tflite, byte[] input, string kernels, int invokes = 1)
    {
        var interpreter = new Interpreter(new Model(ModelConverter.Convert(tflite, "lstm").Emm), NativeLibrary.Require(kernels));
        var output = new byte[LstmModel.Batches * LstmModel.Steps * LstmModel.Units];
        for (int i = 0; i < invokes; i++)
        {
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
        }

        interpreter.GetOutput(0, output, 0);
        return output;
    }

    /// <summary>[B,T,N] to [T,B,N] bytes.</summary>
    private static byte[] ToTimeMajor(byte[] batchMajor, int n)
    {
        var result = new byte[batchMajor.Length];
        for (int b = 0; b < LstmModel.Batches; b++)
        {
            for (int t = 0; t < LstmModel.Steps; t++)
            {
                Array.Copy(batchMajor, (b * LstmModel.Steps + t) * n, result, (t * LstmModel.Batches + b) * n, n);
            }
        }

        return result;
    }

    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("native")]
    public void Time_major_gives_the_batch_major_result_transposed(string kernels)
    {
        var random = new Random(11);
        var input = new byte[LstmModel.Batches * LstmModel.Steps * LstmModel.InputSize];
        random.NextBytes(input);
        byte[] batchMajor = Run(LstmModel.Create(5, timeMajor: false), input, kernels, invokes: 2);
        byte[] timeMajor = Run(LstmModel.Create(5, timeMajor: true), ToTimeMajor(input, LstmModel.InputSize), kernels, invokes: 2);
        Assert.Equal(ToTimeMajor(batchMajor, LstmModel.Units), timeMajor);
        Assert.True(batchMajor.Distinct().Count() > 10, "the outputs barely vary");
    }

    [SkippableFact]
    public void Each_batch_runs_as_if_alone_and_native_equals_managed()
    {
        var random = new Random(12);
        var input = new byte[LstmModel.Batches * LstmModel.Steps * LstmModel.InputSize];
        random.NextBytes(input);
        byte[] tflite = LstmModel.Create(6, timeMajor: false);
        byte[] both = Run(tflite, input, "managed");
        Assert.Equal(both, Run(tflite, input, "native"));

        // The second batch's input in both slots: its output must appear in both.
        int half = input.Length / 2;
        byte[] twice = [.. input.AsSpan(half), .. input.AsSpan(half)];
        byte[] second = Run(tflite, twice, "managed");
        int outHalf = both.Length / 2;
        Assert.Equal(both.AsSpan(outHalf).ToArray(), second.AsSpan(0, outHalf).ToArray());
        Assert.Equal(both.AsSpan(outHalf).ToArray(), second.AsSpan(outHalf).ToArray());
    }
}
