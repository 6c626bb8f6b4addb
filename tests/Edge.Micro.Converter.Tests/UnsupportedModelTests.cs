using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter.Tests;

/// <summary>Models the runtime cannot run exactly as TFLM does are refused with a message naming the op and the reason.</summary>
public class UnsupportedModelTests
{
    private const byte OptionsFullyConnected = 8;

    private static byte[] FullyConnected(sbyte outputType, bool variableInput = false)
    {
        var b = new TfLiteBuilder();
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt8, [1, 4], null, [0.1f], [0], isVariable: variableInput);
        int weights = b.AddTensor("weights", TfLiteBuilder.TypeInt8, [2, 4], new byte[8], [0.01f], [0]);
        int output = b.AddTensor("output", outputType, [1, 2], null, [0.001f], [0]);
        b.AddOperator(TfLiteOps.FullyConnected, 1, [input, weights, -1], [output], OptionsFullyConnected,
            fb => TfLiteBuilder.Table(fb, 1, () => fb.AddSbyte(0, TfLiteBuilder.ActivationNone, 0)));
        return b.Build("fc", [input], [output]);
    }

    [Fact]
    public void A_fully_connected_int32_output_is_refused_because_tflm_has_no_such_kernel()
    {
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(FullyConnected(TfLiteBuilder.TypeInt32), "fc"));
        Assert.Contains("op 0 (FULLY_CONNECTED)", e.Message);
        Assert.Contains("int32 output", e.Message);
        Assert.Contains("TensorFlow Lite Micro refuses it too", e.Message);
    }

    [Fact]
    public void The_same_model_with_an_int8_output_converts()
    {
        Assert.NotEmpty(ModelConverter.Convert(FullyConnected(TfLiteBuilder.TypeInt8), "fc").Emm);
    }

    [Fact]
    public void A_variable_tensor_outside_an_svdf_is_refused()
    {
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(FullyConnected(TfLiteBuilder.TypeInt8, variableInput: true), "fc"));
        Assert.Contains("only SVDF's activation state and the LSTM's hidden and cell state may be one", e.Message);
    }

    [Fact]
    public void An_unsupported_op_is_refused_naming_the_op_its_index_and_the_supported_ops()
    {
        const int Mul = 18;
        var b = new TfLiteBuilder();
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt8, [1, 4], null, [0.1f], [0]);
        int output = b.AddTensor("output", TfLiteBuilder.TypeInt8, [1, 4], null, [0.1f], [0]);
        b.AddOperator(Mul, 1, [input, input], [output], 0, null);
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(b.Build("mul", [input], [output]), "mul"));
        Assert.Contains("op 0 (MUL)", e.Message);
        Assert.Contains("Supported ops:", e.Message);
        Assert.Contains("UNIDIRECTIONAL_SEQUENCE_LSTM", e.Message);
    }

    [Fact]
    public void An_lstm_without_its_options_or_its_24_inputs_is_refused_with_the_reason()
    {
        var b = new TfLiteBuilder();
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt8, [1, 1, 4], null, [0.1f], [0]);
        int output = b.AddTensor("output", TfLiteBuilder.TypeInt8, [1, 1, 4], null, [0.1f], [0]);
        b.AddOperator(TfLiteOps.UnidirectionalSequenceLstm, 1, [input], [output], 0, null);
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(b.Build("lstm", [input], [output]), "lstm"));
        Assert.Contains("op 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): options are missing", e.Message);
    }

    [Fact]
    public void An_lstm_with_a_cell_scale_that_is_not_a_power_of_two_is_refused()
    {
        byte[] tflite = LstmModel.Create(1, timeMajor: false, cellStateScale: 0.0003f);
        var e = Assert.Throws<ConverterException>(() => ModelConverter.Convert(tflite, "lstm"));
        Assert.Contains("not a power of two", e.Message);
    }
}
