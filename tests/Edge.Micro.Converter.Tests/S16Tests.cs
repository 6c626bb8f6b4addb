using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// 16x8 models (int16 activations, int8 weights): converted to the *_S16 ops and int16 pooling, run by the
/// managed and native kernels, against TensorFlow Lite's own interpreter (<see cref="TfLiteReference"/>).
/// </summary>
public class S16Tests
{
    private static byte[][] RandomInputs(int seed, int count) => RandomBytes(seed, count, S16Model.InputSize * 2);

    private static int[] Run(Interpreter interpreter, byte[] input)
    {
        interpreter.SetInput(0, input, 0);
        interpreter.Invoke();
        var output = new byte[interpreter.Model.ByteSize(interpreter.Model.OutputTensor(0))];
        interpreter.GetOutput(0, output, 0);
        return Enumerable.Range(0, output.Length / 2).Select(i => (int)BitConverter.ToInt16(output, 2 * i)).ToArray();
    }

    [Fact]
    public void A_16x8_model_lowers_to_the_int16_kernels()
    {
        var m = new Model(ModelConverter.Convert(S16Model.Create(1), "s16").Emm);
        Assert.Equal([OpCode.Conv2DS16, OpCode.MaxPool2D, OpCode.DepthwiseConv2DS16, OpCode.AveragePool2D, OpCode.FullyConnectedS16],
            Enumerable.Range(0, m.OpCount).Select(m.Op));
        Assert.Equal(ElementType.Int16, m.TensorType(m.InputTensor(0)));
        Assert.Equal(ElementType.Int16, m.TensorType(m.OutputTensor(0)));
    }

    [SkippableTheory]
    [InlineData("managed", false)]
    [InlineData("native", false)]
    [InlineData("managed", true)]
    [InlineData("native", true)]
    public void With_int64_biases_outputs_equal_tensorflow_lites_byte_for_byte(string kernels, bool softmax)
    {
        // TensorFlow Lite takes only int64 biases in 16x8 models; the int32-accumulator paths (no bias or an
        // int32 one, which TFLM also runs) are checked against a transcription of TFLM's template under ctest
        // (interop/tests/s16_test.cc) and managed against native below.
        TfLiteReference.Require();
        byte[] tflite = S16Model.Create(7, S16Model.BiasKind.Int64, softmax);
        var interpreter = new Interpreter(new Model(ModelConverter.Convert(tflite, "s16").Emm), NativeLibrary.Require(kernels));
        byte[][] inputs = RandomInputs(3, 12);
        double[][] expected = TfLiteReference.Run(tflite, inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i].Select(v => (int)v), Run(interpreter, inputs[i]));
        }

        double[] all = expected.SelectMany(v => v).ToArray();
        Assert.True(all.Distinct().Count() > 20, $"only {all.Distinct().Count()} distinct outputs");
        Assert.True(all.All(v => Math.Abs(v) < 32767), "saturated outputs");
        if (softmax)
        {
            // Probabilities in Q0.15: each row sums to about 32768.
            Assert.All(expected, row => Assert.InRange(row.Sum(), 32700, 32800));
        }
    }

    [SkippableTheory]
    [InlineData(S16Model.BiasKind.Int64)]
    [InlineData(S16Model.BiasKind.Int32)]
    [InlineData(S16Model.BiasKind.None)]
    public void Managed_and_native_kernels_agree_for_every_bias_kind(S16Model.BiasKind bias)
    {
        var model = new Model(ModelConverter.Convert(S16Model.Create(5, bias), "s16").Emm);
        var managed = new Interpreter(model);
        var native = new Interpreter(model, NativeLibrary.Require("native"));
        int wideOps = Enumerable.Range(0, model.OpCount).Count(op => model.Op(op) == OpCode.FullyConnectedS16
            ? model.Param(op, Edge.Micro.Runtime.Kernels.FullyConnectedS16.AccumulatorBits) == 64
            : model.Op(op) is OpCode.Conv2DS16 or OpCode.DepthwiseConv2DS16 && model.Param(op, Edge.Micro.Runtime.Kernels.ConvS16.AccumulatorBits) == 64);
        Assert.Equal(bias == S16Model.BiasKind.Int64 ? 3 : 0, wideOps);
        foreach (byte[] input in RandomInputs(9, 8))
        {
            Assert.Equal(Run(managed, input), Run(native, input));
        }
    }

    /// <summary>TensorFlow Lite's gen_lut&lt;double&gt; (TFLM's is the float one the converter writes).</summary>
    private static short[] DoubleTable(Func<double, double> func, double inputMin, double inputMax)
    {
        double step = (inputMax - inputMin) / 512, halfStep = step / 2, scale = 65536.0 / 2;
        static double Round(double x) => Math.Round(x, MidpointRounding.AwayFromZero);
        static short Clamp(double x) => (short)Math.Min(Math.Max(x, -32768.0), 32767.0);
        var table = new short[513];
        for (int i = 0; i < 512; i++)
        {
            double value = func(inputMin + i * step), midpoint = func(inputMin + i * step + halfStep), next = func(inputMin + (i + 1) * step);
            double interpolated = Round((next * scale + Round(value * scale)) / 2);
            table[i] = Clamp(Round(value * scale) - Round((interpolated - Round(midpoint * scale)) / 2));
        }

        table[512] = Clamp(Round(func(inputMax) * scale));
        return table;
    }

    // Overwrites op 0's two softmax tables in a converted model and fixes the CRC.
    private static byte[] WithTables(byte[] emm, short[] exp, short[] reciprocal)
    {
        var m = new Model(emm);
        byte[] patched = (byte[])emm.Clone();
        Buffer.BlockCopy(exp, 0, patched, m.ArrayOffset(0, Edge.Micro.Runtime.Kernels.SoftmaxS16.ExpTable), exp.Length * 2);
        Buffer.BlockCopy(reciprocal, 0, patched, m.ArrayOffset(0, Edge.Micro.Runtime.Kernels.SoftmaxS16.ReciprocalTable), reciprocal.Length * 2);
        BitConverter.GetBytes(Crc32.Compute(patched, EmmFormat.CrcStart, patched.Length - EmmFormat.CrcStart)).CopyTo(patched, EmmFormat.HeaderCrc32);
        return patched;
    }

    [SkippableTheory]
    [InlineData(1f / 4096, "managed")]
    [InlineData(1f / 4096, "native")]
    [InlineData(1f / 400, "managed")]
    [InlineData(3e-5f, "native")]
    public void An_int16_softmax_kernel_equals_tensorflow_lites_given_its_tables(float inputScale, string kernels)
    {
        // 64 rows of 10 random logits per input: every part of both tables is used. TensorFlow Lite builds its
        // tables in double, TFLM (and the converter) in float, so they differ by one in a few entries; with
        // TensorFlow Lite's tables patched in, the kernel must give its outputs byte for byte, and with the
        // converter's own tables no output may be more than one step away.
        TfLiteReference.Require();
        var b = new TfLite.TfLiteBuilder();
        int input = b.AddTensor("logits", TfLite.TfLiteBuilder.TypeInt16, [64, 10], null, [inputScale], [0]);
        int output = b.AddTensor("probabilities", TfLite.TfLiteBuilder.TypeInt16, [64, 10], null, [1f / 32768], [0]);
        b.AddOperator(TfLite.TfLiteOps.Softmax, 3, [input], [output], 9, fb => TfLite.TfLiteBuilder.Table(fb, 1, () => fb.AddFloat(0, 1f, 0f)));
        byte[] tflite = b.Build("softmax16", [input], [output]);
        byte[] emm = ModelConverter.Convert(tflite, "softmax16", selfTest: false).Emm;
        byte[] withDoubleTables = WithTables(emm, DoubleTable(Math.Exp, -10, 0), DoubleTable(x => 1.0 / (1.0 + x), 0, 1));
        var tfliteTables = new Interpreter(new Model(withDoubleTables), NativeLibrary.Require(kernels));
        var tflmTables = new Interpreter(new Model(emm), NativeLibrary.Require(kernels));
        byte[][] inputs = RandomBytes(4, 6, 64 * 10 * 2);
        double[][] expected = TfLiteReference.Run(tflite, inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i].Select(v => (int)v), Run(tfliteTables, inputs[i]));
            int[] ours = Run(tflmTables, inputs[i]);
            Assert.All(ours.Zip(expected[i]), pair => Assert.InRange(pair.First - pair.Second, -1, 1));
        }

        Assert.True(expected.SelectMany(v => v).Distinct().Count() > 200, "too few distinct probabilities");
    }

    [Fact]
    public void The_converters_softmax_tables_are_tflms_float_tables_within_one_of_the_double_ones()
    {
        var m = new Model(ModelConverter.Convert(S16Model.Create(1, softmax: true), "s16", selfTest: false).Emm);
        int op = m.OpCount - 1;
        Assert.Equal(OpCode.SoftmaxS16, m.Op(op));
        short[] Table(int param) => Enumerable.Range(0, 513).Select(i => LittleEndian.ReadInt16(m.Bytes, m.ArrayOffset(op, param) + 2 * i)).ToArray();
        short[] exp = Table(Edge.Micro.Runtime.Kernels.SoftmaxS16.ExpTable), reciprocal = Table(Edge.Micro.Runtime.Kernels.SoftmaxS16.ReciprocalTable);
        short[] expDouble = DoubleTable(Math.Exp, -10, 0), reciprocalDouble = DoubleTable(x => 1.0 / (1.0 + x), 0, 1);
        Assert.All(exp.Zip(expDouble), p => Assert.InRange(p.First - p.Second, -1, 1));
        Assert.All(reciprocal.Zip(reciprocalDouble), p => Assert.InRange(p.First - p.Second, -1, 1));
        Assert.Equal(32767, exp[512]);       // exp(0) = 1, clamped to int16
        Assert.InRange(exp[0], 1, 2);        // exp(-10) * 32768 = 1.49, nudged by the interpolation bias
        Assert.Equal(16384, reciprocal[512]); // 1 / (1 + 1) = 0.5
    }

    private static byte[][] RandomBytes(int seed, int count, int bytes)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var data = new byte[bytes];
            random.NextBytes(data);
            return data;
        }).ToArray();
    }

    private static void AssertEqualsTfLite(byte[] tflite, string kernels, byte[][] inputs)
    {
        var interpreter = new Interpreter(new Model(ModelConverter.Convert(tflite, "s16-op").Emm), NativeLibrary.Require(kernels));
        double[][] expected = TfLiteReference.Run(tflite, inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i].Select(v => (int)v), Run(interpreter, inputs[i]));
        }

        Assert.True(expected.SelectMany(v => v).Distinct().Count() > 50, "too few distinct outputs");
    }

    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("native")]
    public void An_int16_add_with_broadcasting_and_different_scales_equals_tensorflow_lites(string kernels)
    {
        // Input 1 [1,4,5,6] (the model input) plus a constant [1,1,1,6] row: TFLM's general int16 path
        // (left shift 15); pot_scale_int16 is off so TensorFlow Lite takes the same path.
        TfLiteReference.Require();
        var b = new TfLite.TfLiteBuilder();
        int x = b.AddTensor("x", TfLite.TfLiteBuilder.TypeInt16, [1, 4, 5, 6], null, [0.0007f], [0]);
        byte[] rowData = RandomBytes(8, 1, 12)[0];
        int row = b.AddTensor("row", TfLite.TfLiteBuilder.TypeInt16, [1, 1, 1, 6], rowData, [0.0003f], [0]);
        int y = b.AddTensor("y", TfLite.TfLiteBuilder.TypeInt16, [1, 4, 5, 6], null, [0.0009f], [0]);
        b.AddOperator(TfLite.TfLiteOps.Add, 3, [x, row], [y], 11, fb => TfLite.TfLiteBuilder.Table(fb, 2, () =>
        {
            fb.AddSbyte(0, TfLite.TfLiteBuilder.ActivationNone, 0);
            fb.AddBool(1, false, true);
        }));
        AssertEqualsTfLite(b.Build("add16", [x], [y]), kernels, RandomBytes(5, 6, 4 * 5 * 6 * 2));
    }

    [SkippableTheory]
    [InlineData("managed")]
    [InlineData("native")]
    public void An_int16_mean_over_height_and_width_equals_tensorflow_lites(string kernels)
    {
        TfLiteReference.Require();
        var b = new TfLite.TfLiteBuilder();
        int x = b.AddTensor("x", TfLite.TfLiteBuilder.TypeInt16, [1, 7, 5, 16], null, [0.0005f], [0]);
        int axes = b.AddTensor("axes", TfLite.TfLiteBuilder.TypeInt32, [2], TfLite.TfLiteBuilder.IntBytes([1, 2]), [], []);
        int y = b.AddTensor("y", TfLite.TfLiteBuilder.TypeInt16, [1, 1, 1, 16], null, [0.0002f], [0]);
        b.AddOperator(TfLite.TfLiteOps.Mean, 2, [x, axes], [y], 27, fb => TfLite.TfLiteBuilder.Table(fb, 1, () => fb.AddBool(0, true, false)));
        AssertEqualsTfLite(b.Build("mean16", [x], [y]), kernels, RandomBytes(6, 8, 7 * 5 * 16 * 2));
    }

    [Fact]
    public void Int16_activations_with_a_zero_point_are_refused()
    {
        var b = new TfLite.TfLiteBuilder();
        int input = b.AddTensor("input", TfLite.TfLiteBuilder.TypeInt16, [1, 8], null, [0.001f], [5]);
        int weights = b.AddTensor("weights", TfLite.TfLiteBuilder.TypeInt8, [2, 8], new byte[16], [0.01f], [0]);
        int output = b.AddTensor("output", TfLite.TfLiteBuilder.TypeInt16, [1, 2], null, [0.001f], [0]);
        b.AddOperator(TfLite.TfLiteOps.FullyConnected, 7, [input, weights, -1], [output], 8,
            fb => TfLite.TfLiteBuilder.Table(fb, 1, () => fb.AddSbyte(0, 0, 0)));
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(b.Build("zp", [input], [output]), "zp"));
        Assert.Contains("16x8 quantization is symmetric", e.Message);
    }
}
