namespace Edge.Micro.Training.Quantization;

/// <summary>An affine quantization: real = scale * (q - zeroPoint), one pair per channel or one in all.</summary>
public sealed record QuantParams(float[] Scales, long[] ZeroPoints, int QuantizedDimension = 0)
{
    /// <summary>Per-tensor parameters.</summary>
    public static QuantParams PerTensor(float scale, int zeroPoint) => new([scale], [zeroPoint]);
}

/// <summary>The TFLite operators a quantized keyword network uses.</summary>
public enum QuantizedOpKind
{
    Conv2D,
    DepthwiseConv2D,
    AveragePool2D,
    FullyConnected,
}

/// <summary>
/// One int8 operator: its constant weights (int8) and bias (int32) with their quantization, the output
/// tensor's shape and quantization, and the options TFLite stores (stride, pooling window, fused ReLU;
/// convolutions use SAME padding, the pool VALID).
/// </summary>
public sealed record QuantizedOp(
    QuantizedOpKind Kind, string Name,
    int[]? WeightShape, sbyte[]? Weights, QuantParams? WeightQuant,
    int[]? Bias, QuantParams? BiasQuant,
    int[] OutputShape, QuantParams Output,
    int Stride = 1, int FilterHeight = 1, int FilterWidth = 1, bool Relu = false);

/// <summary>
/// A quantized network as TFLite stores it: int8 input, a chain of <see cref="QuantizedOp"/>s, then SOFTMAX
/// with TFLite's fixed output quantization (scale 1/256, zero point -128). Made by <see cref="Quantizer"/>,
/// written by <see cref="Export.TfLiteWriter"/>.
/// </summary>
public sealed record QuantizedNetwork(string Description, int[] InputShape, QuantParams Input, IReadOnlyList<QuantizedOp> Ops)
{
    /// <summary>The softmax output's quantization.</summary>
    public static readonly QuantParams Probabilities = QuantParams.PerTensor(1f / 256f, -128);
}
