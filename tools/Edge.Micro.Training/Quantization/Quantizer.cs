using Edge.Micro.Training.Learning;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Quantization;

/// <summary>
/// Post-training int8 quantization of a <see cref="Network"/>, the way the TFLite converter does it: weights
/// symmetric int8 (per output channel for convolutions, per tensor for the fully connected layer), biases
/// int32 at input scale x weight scale, activations asymmetric int8 over ranges calibrated on training clips
/// (after ReLU: [0, max]), average pooling keeping its input's quantization, softmax output at 1/256, -128.
/// </summary>
public static class Quantizer
{
    private const int MaxWeight = 127;

    /// <summary>Quantizes the network with activation ranges measured on <paramref name="calibration"/> clips.</summary>
    public static QuantizedNetwork Quantize(Network net, Dataset data, int[] calibration, string description)
    {
        (float[] min, float[] max) = Ranges(net, data, calibration);
        var input = QuantParams.PerTensor(FeatureScaling.Scale, FeatureScaling.ZeroPoint);
        QuantParams current = input;
        var ops = new List<QuantizedOp>();
        for (int i = 0; i < net.Layers.Count; i++)
        {
            ILayer layer = net.Layers[i];
            float inScale = current.Scales[0];
            switch (layer)
            {
                case Conv2D conv:
                {
                    QuantParams output = Activation(min[i], max[i], conv.Relu);
                    (sbyte[] w, float[] scales) = PerChannel(conv.Weights, conv.OutChannels, k => k / conv.PatchSize);
                    ops.Add(new QuantizedOp(QuantizedOpKind.Conv2D, $"conv{i}",
                        [conv.OutChannels, conv.KernelHeight, conv.KernelWidth, conv.InChannels], w, new QuantParams(scales, new long[scales.Length]),
                        Biases(conv.Bias, scales, inScale), new QuantParams(scales.Select(s => s * inScale).ToArray(), new long[scales.Length]),
                        [1, conv.OutHeight, conv.OutWidth, conv.OutChannels], output, conv.Stride, conv.KernelHeight, conv.KernelWidth, conv.Relu));
                    current = output;
                    break;
                }

                case DepthwiseConv2D dw:
                {
                    QuantParams output = Activation(min[i], max[i], dw.Relu);
                    (sbyte[] w, float[] scales) = PerChannel(dw.Weights, dw.Channels, k => k % dw.Channels);
                    ops.Add(new QuantizedOp(QuantizedOpKind.DepthwiseConv2D, $"depthwise{i}",
                        [1, dw.KernelHeight, dw.KernelWidth, dw.Channels], w, new QuantParams(scales, new long[scales.Length], 3),
                        Biases(dw.Bias, scales, inScale), new QuantParams(scales.Select(s => s * inScale).ToArray(), new long[scales.Length]),
                        [1, dw.Geometry.OutHeight, dw.Geometry.OutWidth, dw.Channels], output, dw.Stride, dw.KernelHeight, dw.KernelWidth, dw.Relu));
                    current = output;
                    break;
                }

                case GlobalAveragePool pool:
                    ops.Add(new QuantizedOp(QuantizedOpKind.AveragePool2D, $"pool{i}", null, null, null, null, null,
                        [1, 1, 1, pool.Channels], current, Stride: 1, FilterHeight: pool.Height, FilterWidth: pool.Width));
                    break;

                case Dense dense:
                {
                    QuantParams output = Activation(min[i], max[i], relu: false);
                    float scale = SymmetricScale(dense.Weights);
                    sbyte[] w = dense.Weights.Select(v => QuantizeWeight(v, scale)).ToArray();
                    ops.Add(new QuantizedOp(QuantizedOpKind.FullyConnected, $"dense{i}",
                        [dense.Outputs, dense.Inputs], w, QuantParams.PerTensor(scale, 0),
                        dense.Bias.Select(b => QuantizeBias(b, inScale * scale)).ToArray(), QuantParams.PerTensor(inScale * scale, 0),
                        [1, dense.Outputs], output));
                    current = output;
                    break;
                }

                case Dropout:
                    break; // identity at inference

                default:
                    throw new NotSupportedException($"cannot quantize a {layer.GetType().Name} layer");
            }
        }

        return new QuantizedNetwork(description, [1, Network.Frames, Network.Channels, 1], input, ops);
    }

    // Each layer's output range over the calibration clips (no dropout, no SpecAugment).
    private static (float[] Min, float[] Max) Ranges(Network net, Dataset data, int[] clips)
    {
        Network.Workspace ws = net.CreateWorkspace();
        var min = new float[net.Layers.Count];
        var max = new float[net.Layers.Count];
        Array.Fill(min, float.MaxValue);
        Array.Fill(max, float.MinValue);
        foreach (int clip in clips)
        {
            FeatureScaling.ToReal(data.Clip(clip), ws.Input);
            net.Forward(ws);
            for (int i = 0; i < net.Layers.Count; i++)
            {
                min[i] = Math.Min(min[i], System.Numerics.Tensors.TensorPrimitives.Min(ws.OutputOf(i)));
                max[i] = Math.Max(max[i], System.Numerics.Tensors.TensorPrimitives.Max(ws.OutputOf(i)));
            }
        }

        if (clips.Length == 0)
        {
            Array.Fill(min, -1f);
            Array.Fill(max, 1f);
        }

        return (min, max);
    }

    // An int8 activation range that contains zero; after ReLU it starts at zero (zero point -128).
    private static QuantParams Activation(float min, float max, bool relu)
    {
        min = relu ? 0 : Math.Min(min, 0);
        max = Math.Max(max, 0);
        float scale = Math.Max(max - min, 1e-6f) / 255f;
        int zeroPoint = Math.Clamp((int)Math.Round(-128 - min / scale), -128, 127);
        return QuantParams.PerTensor(scale, zeroPoint);
    }

    private static (sbyte[] Weights, float[] Scales) PerChannel(float[] weights, int channels, Func<int, int> channelOf)
    {
        var maxAbs = new float[channels];
        for (int k = 0; k < weights.Length; k++)
        {
            maxAbs[channelOf(k)] = Math.Max(maxAbs[channelOf(k)], Math.Abs(weights[k]));
        }

        float[] scales = maxAbs.Select(m => m > 0 ? m / MaxWeight : 1e-8f).ToArray();
        var q = new sbyte[weights.Length];
        for (int k = 0; k < weights.Length; k++)
        {
            q[k] = QuantizeWeight(weights[k], scales[channelOf(k)]);
        }

        return (q, scales);
    }

    private static int[] Biases(float[] bias, float[] weightScales, float inputScale) =>
        bias.Select((b, c) => QuantizeBias(b, inputScale * weightScales[c])).ToArray();

    private static float SymmetricScale(ReadOnlySpan<float> w)
    {
        float max = w.Length == 0 ? 0 : System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(w);
        return Math.Abs(max) > 0 ? Math.Abs(max) / MaxWeight : 1e-8f;
    }

    private static sbyte QuantizeWeight(float w, float scale) => (sbyte)Math.Clamp((int)Math.Round(w / scale), -MaxWeight, MaxWeight);

    private static int QuantizeBias(float b, float scale) => (int)Math.Clamp(Math.Round(b / scale), int.MinValue, int.MaxValue);
}
