using Edge.Micro.Converter.TfLite;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// A small int16 model for the robustness tests: input [1,64] (scale 0.001) -> LOGISTIC -> TANH -> output,
/// every tensor int16 with zero point 0 and the activations' output scale 2^-15.
/// </summary>
public static class ActivationS16Model
{
    private const int OpLogistic = 14, OpTanh = 28;
    private const float OutputScale = 1f / 32768;

    public static byte[] Create()
    {
        var b = new TfLiteBuilder();
        int input = b.AddTensor("input", TfLiteBuilder.TypeInt16, [1, 64], null, [0.001f], [0]);
        int sigmoid = b.AddTensor("sigmoid", TfLiteBuilder.TypeInt16, [1, 64], null, [OutputScale], [0]);
        int output = b.AddTensor("tanh", TfLiteBuilder.TypeInt16, [1, 64], null, [OutputScale], [0]);
        b.AddOperator(OpLogistic, 1, [input], [sigmoid], 0, null);
        b.AddOperator(OpTanh, 1, [sigmoid], [output], 0, null);
        return b.Build("int16 activations test model", [input], [output]);
    }
}
