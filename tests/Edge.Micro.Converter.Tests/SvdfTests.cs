using Edge.Micro.Converter.Lowering;
using Edge.Micro.Host.Inspection;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Arithmetic;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// SVDF end to end: .tflite with variable state -> converter -> .emm -> interpreter, against the test's own
/// literal transcription of TFLM's EvalIntegerSvdfReference (no corpus model has an SVDF, so there are no
/// TFLM goldens; the transcription keeps TFLM's zero-point subtraction, scratch sums and clamp-then-offset
/// narrowing of the state, which the converter folds away).
/// </summary>
public class SvdfTests
{
    private const int Steps = 40;

    /// <summary>
    /// TFLM's int8 SVDF for one layer and one inference; state holds the narrowed T values. Counts in
    /// <paramref name="wrapped"/> the state values that TFLM's clamp-then-offset order stored modulo 2^8 or 2^16.
    /// </summary>
    private static int[] TflmSvdf(SvdfModel.Layer l, int[] input, int[] state, ref int wrapped)
    {
        var (m1, s1) = QuantizationMath.QuantizeMultiplier((double)(l.InputScale * l.FeatureScale / l.StateScale));
        var (m2, s2) = QuantizationMath.QuantizeMultiplier((double)(l.StateScale * l.TimeScale / l.OutputScale));
        int min = l.WideState ? short.MinValue : sbyte.MinValue, max = l.WideState ? short.MaxValue : sbyte.MaxValue;
        Array.Copy(state, 1, state, 0, state.Length - 1);
        for (int r = 0; r < l.Filters; r++)
        {
            int dot = 0;
            for (int c = 0; c < l.InputSize; c++)
            {
                dot += l.FeatureWeights[r * l.InputSize + c] * (input[c] - l.InputZeroPoint);
            }

            int v = Math.Clamp(FixedPoint.MultiplyByQuantizedMultiplier(dot, m1, s1), min, max);
            int stored = l.StateZeroPoint + v;
            wrapped += stored < min || stored > max ? 1 : 0;
            state[r * l.Memory + l.Memory - 1] = l.WideState ? (short)stored : (sbyte)stored;
        }

        var scratch = new int[l.Filters];
        for (int i = 0; i < l.Filters; i++)
        {
            for (int j = 0; j < l.Memory; j++)
            {
                scratch[i] += l.TimeWeights[i * l.Memory + j] * (state[i * l.Memory + j] - l.StateZeroPoint);
            }
        }

        var output = new int[l.Units];
        for (int u = 0; u < l.Units; u++)
        {
            int acc = l.Bias[u];
            for (int j = 0; j < l.Rank; j++)
            {
                acc += scratch[u * l.Rank + j];
            }

            output[u] = Math.Clamp(FixedPoint.MultiplyByQuantizedMultiplier(acc, m2, s2) + l.OutputZeroPoint, -128, 127);
        }

        return output;
    }

    private static int[] InitialState(SvdfModel.Layer l) =>
        Enumerable.Repeat(l.WideState ? 0 : l.StateZeroPoint, l.Filters * l.Memory).ToArray();

    private static int[] RandomInput(Random random, int size) => Enumerable.Range(0, size).Select(_ => random.Next(-128, 128)).ToArray();

    private static int[] Read(Interpreter interpreter, int tensor)
    {
        Model m = interpreter.Model;
        return Enumerable.Range(0, m.ByteSize(tensor)).Select(i => (int)(sbyte)interpreter.Arena[m.DataOffset(tensor) + i]).ToArray();
    }

    private static void SetInput(Interpreter interpreter, int[] input) =>
        interpreter.SetInput(0, input.Select(v => (byte)(sbyte)v).ToArray(), 0);

    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("native")]
    public void Every_step_matches_a_literal_TFLM_transcription_with_int8_and_int16_state(string kernels)
    {
        SvdfModel model = SvdfModel.Create(seed: 7);
        var m = new Model(ModelConverter.Convert(model.TfLite, "svdf").Emm);
        var interpreter = new Interpreter(m, NativeLibrary.Require(kernels));
        int hidden = m.OpOutput(0, 0), output = m.OutputTensor(0);
        int[] state0 = InitialState(model.Layers[0]), state1 = InitialState(model.Layers[1]);
        var random = new Random(11);
        var seen = new HashSet<int>();
        int clippedHidden = 0, wrapped = 0;
        for (int step = 0; step < Steps; step++)
        {
            int[] input = RandomInput(random, model.Layers[0].InputSize);
            int[] expectedHidden = TflmSvdf(model.Layers[0], input, state0, ref wrapped);
            int[] expected = TflmSvdf(model.Layers[1], expectedHidden, state1, ref wrapped);
            SetInput(interpreter, input);
            interpreter.Invoke();
            Assert.Equal(expectedHidden, Read(interpreter, hidden));
            Assert.Equal(expected, Read(interpreter, output));
            seen.UnionWith(expected);
            clippedHidden += expectedHidden.Count(v => v is -128 or 127);
        }

        // A comparison of saturated or constant outputs would prove little; TFLM's narrowing must have been met.
        Assert.True(wrapped > 0, "no state value met TFLM's clamp-then-offset narrowing");
        Assert.True(seen.Count > 20, $"only {seen.Count} distinct output values");
        Assert.True(clippedHidden < Steps * model.Layers[0].Units / 10, $"{clippedHidden} clipped hidden values");
    }

    [Fact]
    public void Int8_outputs_follow_a_float_svdf_of_the_same_weights()
    {
        // Independent of the fixed-point path: a float SVDF on the dequantized weights and inputs. Most outputs
        // must be within two quanta (state rounding and the rare saturation account for the rest). The state
        // zero point is 0 here: with another zero point TFLM stores a saturated state value modulo 256 (it
        // adds the zero point after the clamp), which no float model reproduces.
        SvdfModel model = SvdfModel.Create(seed: 3, stateScale: 0.5f, stateZeroPoint: 0);
        SvdfModel.Layer l = model.Layers[0];
        var m = new Model(ModelConverter.Convert(model.TfLite, "svdf").Emm);
        var interpreter = new Interpreter(m);
        var state = new double[l.Filters * l.Memory];
        var random = new Random(5);
        int close = 0, total = 0;
        for (int step = 0; step < Steps; step++)
        {
            int[] input = RandomInput(random, l.InputSize);
            SetInput(interpreter, input);
            interpreter.Invoke();
            int[] actual = Read(interpreter, m.OpOutput(0, 0));
            Array.Copy(state, 1, state, 0, state.Length - 1);
            for (int f = 0; f < l.Filters; f++)
            {
                double dot = 0;
                for (int d = 0; d < l.InputSize; d++)
                {
                    dot += l.FeatureWeights[f * l.InputSize + d] * l.FeatureScale * (input[d] - l.InputZeroPoint) * l.InputScale;
                }

                state[f * l.Memory + l.Memory - 1] = dot;
            }

            for (int u = 0; u < l.Units; u++)
            {
                double sum = l.Bias[u] * (double)l.StateScale * l.TimeScale;
                for (int i = u * l.Rank * l.Memory; i < (u + 1) * l.Rank * l.Memory; i++)
                {
                    sum += l.TimeWeights[i] * (double)l.TimeScale * state[i];
                }

                double quantized = Math.Clamp(Math.Round(sum / l.OutputScale) + l.OutputZeroPoint, -128, 127);
                close += Math.Abs(quantized - actual[u]) <= 2 ? 1 : 0;
                total++;
            }
        }

        Assert.True(close >= total * 95 / 100, $"{close} of {total} outputs within two quanta of the float SVDF");
    }

    [Fact]
    public void ResetState_restarts_the_stream_like_a_new_interpreter()
    {
        SvdfModel model = SvdfModel.Create(seed: 9);
        var m = new Model(ModelConverter.Convert(model.TfLite, "svdf").Emm);
        var inputs = Enumerable.Range(0, 12).Select(i => RandomInput(new Random(i), model.Layers[0].InputSize)).ToArray();
        int[][] Run(Interpreter interpreter) => inputs.Select(input =>
        {
            SetInput(interpreter, input);
            interpreter.Invoke();
            return Read(interpreter, m.OutputTensor(0));
        }).ToArray();

        var reused = new Interpreter(m);
        int[][] first = Run(reused);
        reused.ResetState();
        Assert.Equal(first, Run(reused));
        Assert.Equal(first, Run(new Interpreter(m)));
    }

    [SkippableFact]
    public void The_native_runner_resets_and_carries_state_like_the_interpreter()
    {
        // em_run loads the model (em_model_load resets the state to its zero point), writes the input before each
        // of N invokes (later ops may reuse the input's bytes) and keeps the state between them: its output must be
        // the interpreter's after the same N invokes on the same input.
        string runner = Path.Combine(Edge.Micro.TestSupport.Corpus.RepoRoot, "build", "interop", "em_run");
        if (!File.Exists(runner))
        {
            Assert.False(Edge.Micro.TestSupport.Corpus.InCi, $"{runner} missing (CI=true: a failure; scripts/build-native.sh builds it)");
            Skip.If(true, $"{runner} missing: run scripts/build-native.sh");
        }

        SvdfModel model = SvdfModel.Create(seed: 4);
        byte[] emm = ModelConverter.Convert(model.TfLite, "svdf").Emm;
        var m = new Model(emm);
        int[] input = RandomInput(new Random(2), model.Layers[0].InputSize);
        const int Repeat = 6;
        var interpreter = new Interpreter(m);
        for (int i = 0; i < Repeat; i++)
        {
            SetInput(interpreter, input);
            interpreter.Invoke();
        }

        string dir = Directory.CreateTempSubdirectory("svdf").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "m.emm"), emm);
            File.WriteAllBytes(Path.Combine(dir, "in.bin"), input.Select(v => (byte)(sbyte)v).ToArray());
            var process = System.Diagnostics.Process.Start(runner, [Path.Combine(dir, "m.emm"), "--input", Path.Combine(dir, "in.bin"),
                "--output", Path.Combine(dir, "out.bin"), "--repeat", Repeat.ToString()]);
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(Read(interpreter, m.OutputTensor(0)), File.ReadAllBytes(Path.Combine(dir, "out.bin")).Select(v => (int)(sbyte)v));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void State_tensors_keep_arena_bytes_no_other_tensor_uses()
    {
        ConversionResult result = ModelConverter.Convert(SvdfModel.Create(seed: 1).TfLite, "svdf");
        var m = new Model(result.Emm);
        var states = Enumerable.Range(0, m.TensorCount).Where(m.IsState).ToArray();
        Assert.Equal(2, states.Length);
        Assert.Equal([ElementType.Int8, ElementType.Int16], states.Select(m.TensorType));
        foreach (int s in states)
        {
            for (int t = 0; t < m.TensorCount; t++)
            {
                if (t != s && !m.IsConstant(t))
                {
                    bool apart = m.DataOffset(t) + m.ByteSize(t) <= m.DataOffset(s) || m.DataOffset(s) + m.ByteSize(s) <= m.DataOffset(t);
                    Assert.True(apart, $"tensor {m.TensorName(t)} shares bytes with state {m.TensorName(s)}");
                }
            }
        }

        Assert.Equal(OpCode.Svdf, m.Op(0));
        Assert.Contains(ModelSummary.From(m).Tensors, t => t.Storage == "state");
        Assert.True(m.Macs(0) == 16 * (40 + 8), $"MACs of the first SVDF: {m.Macs(0)}");
    }

    [Fact]
    public void An_svdf_whose_state_is_not_a_variable_tensor_is_refused_with_a_clear_error()
    {
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(SvdfModel.Create(seed: 1, stateIsVariable: false).TfLite, "svdf"));
        Assert.Contains("must be a variable (stateful) tensor", e.Message);
    }

    [Fact]
    public void The_loader_refuses_an_svdf_whose_state_is_ordinary_arena_memory()
    {
        // A state tensor demoted to plain arena storage could be overwritten by the planner's reuse: refused.
        byte[] emm = ModelConverter.Convert(SvdfModel.Create(seed: 1).TfLite, "svdf", selfTest: false).Emm;
        var m = new Model(emm);
        int state = m.OpInput(0, SvdfS8.StateTensor);
        int tensorTable = BitConverter.ToInt32(emm, EmmFormat.HeaderTensorTable);
        emm[tensorTable + state * EmmFormat.TensorRecordBytes + EmmFormat.TensorStorage] = EmmFormat.StorageArena;
        BitConverter.GetBytes(Crc32.Compute(emm, EmmFormat.CrcStart, emm.Length - EmmFormat.CrcStart)).CopyTo(emm, EmmFormat.HeaderCrc32);
        var error = Assert.Throws<ModelException>(() => new Model(emm));
        Assert.Equal(ModelError.BadOpTensors, error.Code);
    }
}
