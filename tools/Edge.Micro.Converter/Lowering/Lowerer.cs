using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Converter.Lowering;

/// <summary>
/// Lowers a TFLite graph to .emm ops, doing TFLM's Prepare work ahead of time: padding, requantization
/// multipliers and shifts, activation ranges, softmax scaling, input offsets folded into biases where
/// exact. Refuses, naming the op and its index, anything the runtime's kernels do not implement.
/// </summary>
public sealed class Lowerer
{
    /// <summary>The TFLite ops this converter lowers, for error messages and help.</summary>
    public const string SupportedOps =
        "CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX, ADD, MEAN (int8, and int16 activations with int8 weights), RESHAPE, SQUEEZE, LOGISTIC, TANH (int8), QUANTIZE, DEQUANTIZE, SVDF (int8)";

    private const int PaddingSame = 0;
    private const int PaddingValid = 1;

    private readonly TfLiteModel _model;
    private readonly EmmGraph _graph;
    private readonly Dictionary<int, int> _tensorMap = [];

    private Lowerer(TfLiteModel model, string name)
    {
        _model = model;
        _graph = new EmmGraph { Name = name };
    }

    /// <summary>Lowers a parsed model; the arena is not planned yet.</summary>
    public static EmmGraph Lower(TfLiteModel model, string name)
    {
        var lowerer = new Lowerer(model, name);
        foreach (int t in model.Inputs)
        {
            lowerer._graph.Inputs.Add(lowerer.Map(t));
        }

        foreach (TfOperator op in model.Operators)
        {
            lowerer.LowerOp(op);
        }

        foreach (int t in model.Outputs)
        {
            lowerer._graph.Outputs.Add(lowerer.Map(t));
        }

        lowerer.CheckWritesGoToArena();
        return lowerer._graph;
    }

    /// <summary>Model inputs, outputs and every op output must be activations, never constants.</summary>
    private void CheckWritesGoToArena()
    {
        foreach (int t in _graph.Inputs.Concat(_graph.Outputs).Concat(_graph.Ops.SelectMany(o => o.Outputs)))
        {
            if (_graph.Tensors[t].IsConstant)
            {
                throw new ConverterException($"tensor '{_graph.Tensors[t].Name}' is constant but is written by an op or is a model input/output");
            }
        }
    }

    private void LowerOp(TfOperator op)
    {
        if (op.CustomCode != null)
        {
            throw Unsupported(op, $"custom op '{op.CustomCode}'");
        }

        switch (op.BuiltinCode)
        {
            case TfLiteOps.Conv2D: LowerConv(op, depthwise: false); break;
            case TfLiteOps.DepthwiseConv2D: LowerConv(op, depthwise: true); break;
            case TfLiteOps.FullyConnected: LowerFullyConnected(op); break;
            case TfLiteOps.AveragePool2D: LowerPool(op, OpCode.AveragePool2D); break;
            case TfLiteOps.MaxPool2D: LowerPool(op, OpCode.MaxPool2D); break;
            case TfLiteOps.Reshape:
            case TfLiteOps.Squeeze: LowerReshape(op); break;
            case TfLiteOps.Softmax: LowerSoftmax(op); break;
            case TfLiteOps.Add: LowerAdd(op); break;
            case TfLiteOps.Mean: LowerMean(op); break;
            case TfLiteOps.Logistic: LowerActivation(op, OpCode.Logistic); break;
            case TfLiteOps.Tanh: LowerActivation(op, OpCode.Tanh); break;
            case TfLiteOps.Quantize: LowerQuantize(op); break;
            case TfLiteOps.Dequantize: LowerDequantize(op); break;
            case TfLiteOps.Svdf: LowerSvdf(op); break;
            default: throw Unsupported(op, "this op");
        }
    }

    private static ConverterException Unsupported(TfOperator op, string what) =>
        new($"op {op.Index} ({op.Name}): {what} is not supported. Supported ops: {SupportedOps}");

    private static ConverterException Invalid(TfOperator op, string what) =>
        new($"op {op.Index} ({op.Name}): {what}");

    private TfTensor In(TfOperator op, int i)
    {
        if (i >= op.Inputs.Length || op.Inputs[i] < 0)
        {
            throw Invalid(op, $"input {i} is missing");
        }

        return _model.Tensors[op.Inputs[i]];
    }

    private TfTensor? OptionalIn(TfOperator op, int i) =>
        i < op.Inputs.Length && op.Inputs[i] >= 0 ? _model.Tensors[op.Inputs[i]] : null;

    private TfTensor Out(TfOperator op)
    {
        if (op.Outputs.Length != 1)
        {
            throw Invalid(op, $"expected one output, found {op.Outputs.Length}");
        }

        return _model.Tensors[op.Outputs[0]];
    }

    private static void RequireType(TfOperator op, TfTensor t, string role, params TfLiteType[] types)
    {
        if (!types.Contains(t.Type))
        {
            throw Unsupported(op, $"{role} tensor '{t.Name}' of type {t.Type} (supported: {string.Join(", ", types)})");
        }
    }

    private static void RequireRank(TfOperator op, TfTensor t, string role, int rank)
    {
        if (t.Shape.Length != rank)
        {
            throw Invalid(op, $"{role} tensor '{t.Name}' has rank {t.Shape.Length}, expected {rank}");
        }
    }

    private static void RequireQuantized(TfOperator op, TfTensor t, string role)
    {
        if (t.Scales.Length == 0 || !(t.Scale > 0) || float.IsInfinity(t.Scale))
        {
            throw Invalid(op, $"{role} tensor '{t.Name}' has no valid quantization scale");
        }
    }

    /// <summary>
    /// The .emm tensor for a TFLite tensor, created on first use. A variable (stateful) tensor is accepted
    /// only where an op asks for state (<paramref name="state"/>: SVDF's activation state).
    /// </summary>
    private int Map(int tfIndex, bool state = false)
    {
        TfTensor t = _model.Tensors[tfIndex];
        if (t.IsVariable != state)
        {
            throw new ConverterException(state
                ? $"tensor {tfIndex} '{t.Name}' must be a variable (stateful) tensor: it is an SVDF activation state"
                : $"tensor {tfIndex} '{t.Name}' is a variable (stateful) tensor; only SVDF's activation state may be one (LSTM state is not supported)");
        }

        if (_tensorMap.TryGetValue(tfIndex, out int existing))
        {
            return existing;
        }

        int type = t.Type switch
        {
            TfLiteType.Int8 => ElementType.Int8,
            TfLiteType.Int16 => ElementType.Int16,
            TfLiteType.Int32 => ElementType.Int32,
            TfLiteType.Float32 => ElementType.Float32,
            TfLiteType.UInt8 => ElementType.UInt8,
            _ => throw new ConverterException($"tensor {tfIndex} '{t.Name}' has type {t.Type}; supported: Int8, Int16, Int32, Float32, UInt8"),
        };
        if (t.Shape.Length > EmmFormat.MaxRank)
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' has rank {t.Shape.Length}; at most {EmmFormat.MaxRank} is supported");
        }

        if (t.Shape.Any(d => d == 0))
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' has an empty dimension");
        }

        long bytes = t.ElementCount * ElementType.SizeOf(type);
        if (bytes > int.MaxValue / 2 || (t.Data == null && bytes > EmmFormat.MaxArenaBytes))
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' needs {bytes} bytes; an activation may use at most {EmmFormat.MaxArenaBytes}");
        }

        var tensor = new EmmTensor
        {
            Name = t.Name,
            Type = type,
            Shape = t.Shape,
            ConstantData = state ? null : t.Data,
            IsState = state,
            ZeroPoint = t.ZeroPoint,
            Scale = t.Scale,
        };
        if (t.Data != null && !state && t.Data.Length != tensor.ByteSize)
        {
            throw new ConverterException($"tensor {tfIndex} '{t.Name}' holds {t.Data.Length} bytes of data, its shape needs {tensor.ByteSize}");
        }

        _graph.Tensors.Add(tensor);
        _tensorMap[tfIndex] = _graph.Tensors.Count - 1;
        return _graph.Tensors.Count - 1;
    }

    private int MapArena(TfOperator op, TfTensor t, string role)
    {
        if (t.Data != null)
        {
            throw Unsupported(op, $"a constant {role} tensor '{t.Name}'");
        }

        return Map(t.Index);
    }

    private int MapConstant(TfOperator op, TfTensor t, string role)
    {
        if (t.Data == null)
        {
            throw Unsupported(op, $"a non-constant {role} tensor '{t.Name}' (weights must be constant)");
        }

        return Map(t.Index);
    }

    private void Add(EmmOp op) => _graph.Ops.Add(op);

    // ---- CONV_2D and DEPTHWISE_CONV_2D ----

    private void LowerConv(TfOperator op, bool depthwise)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        TfTensor input = In(op, 0), filter = In(op, 1), output = Out(op);
        TfTensor? bias = OptionalIn(op, 2);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, filter, "filter", TfLiteType.Int8);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, input, "input", 4);
        RequireRank(op, filter, "filter", 4);
        RequireRank(op, output, "output", 4);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, filter, "filter");
        RequireQuantized(op, output, "output");
        int inputIndex = MapArena(op, input, "input");
        int filterIndex = MapConstant(op, filter, "filter");
        byte[] weights = filter.Data!;

        int padding = o.GetByte(0);
        int strideW = o.GetInt(1), strideH = o.GetInt(2);
        int activation = depthwise ? o.GetByte(4) : o.GetByte(3);
        int dilationW = depthwise ? o.GetInt(5, 1) : o.GetInt(4, 1);
        int dilationH = depthwise ? o.GetInt(6, 1) : o.GetInt(5, 1);
        if (strideW < 1 || strideH < 1 || dilationW < 1 || dilationH < 1)
        {
            throw Invalid(op, $"strides ({strideW},{strideH}) and dilations ({dilationW},{dilationH}) must be at least 1");
        }

        int n = input.Shape[0], inH = input.Shape[1], inW = input.Shape[2], inC = input.Shape[3];
        int kH = filter.Shape[1], kW = filter.Shape[2];
        int outH = output.Shape[1], outW = output.Shape[2], outC = output.Shape[3];
        int depthMultiplier = 0;
        if (depthwise)
        {
            if (filter.Shape[0] != 1 || filter.Shape[3] != outC || outC % inC != 0)
            {
                throw Invalid(op, $"filter [{string.Join(",", filter.Shape)}] does not fit input channels {inC} and output channels {outC}");
            }

            depthMultiplier = outC / inC;
        }
        else if (filter.Shape[3] != inC || filter.Shape[0] != outC)
        {
            throw Invalid(op, $"filter [{string.Join(",", filter.Shape)}] does not fit input channels {inC} and output channels {outC} (grouped convolution is not supported)");
        }

        if (output.Shape[0] != n)
        {
            throw Invalid(op, "input and output batch differ");
        }

        var (padH, expectH) = Padding(op, padding, inH, kH, strideH, dilationH);
        var (padW, expectW) = Padding(op, padding, inW, kW, strideW, dilationW);
        if (expectH != outH || expectW != outW)
        {
            throw Invalid(op, $"output is {outH}x{outW} but the padding, strides and filter give {expectH}x{expectW}");
        }

        int quantDim = depthwise ? 3 : 0;
        int[] multipliers = new int[outC], shifts = new int[outC];
        float[] filterScales = ChannelScales(op, filter, outC, quantDim);
        for (int c = 0; c < outC; c++)
        {
            double effective = (double)input.Scale * filterScales[c] / output.Scale;
            (multipliers[c], shifts[c]) = QuantizationMath.QuantizeMultiplier(effective);
        }

        RequireZeroFilterOffsets(op, filter);
        long macs = (long)n * outH * outW * outC * kH * kW * (depthwise ? 1 : inC);
        if (input.Type == TfLiteType.Int16)
        {
            int[] geometry = [strideW, strideH, dilationW, dilationH, padW, padH];
            AddConvS16(op, depthwise, input, inputIndex, filterIndex, output, bias, geometry, depthMultiplier, multipliers, shifts, activation, macs);
            return;
        }

        int inputOffset = -input.ZeroPoint;
        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, output.ZeroPoint, -128, 127, $"op {op.Index} ({op.Name})");

        // Folding the input offset into the bias is exact only when no window touches padding
        // (TFLM skips padded positions instead of reading the zero point).
        bool windowsInside = padH == 0 && padW == 0
            && (outH - 1) * strideH + (kH - 1) * dilationH < inH && (outW - 1) * strideW + (kW - 1) * dilationW < inW;
        int[]? biasValues = BiasValues(op, bias, outC);
        bool fold = windowsInside && inputOffset != 0;
        if (fold)
        {
            biasValues ??= new int[outC];
            int perChannel = kH * kW * (depthwise ? 1 : inC);
            for (int c = 0; c < outC; c++)
            {
                long sum = 0;
                for (int i = 0; i < perChannel; i++)
                {
                    int index = depthwise ? i * outC + c : c * perChannel + i;
                    sum += (sbyte)weights[index];
                }

                // int32 wrap-around is what the kernel's accumulator does anyway: folding is exact modulo 2^32.
                biasValues[c] = unchecked(biasValues[c] + (int)(sum * inputOffset));
            }
        }

        int[] p = new int[ConvS8.ParamCount];
        p[ConvS8.StrideW] = strideW;
        p[ConvS8.StrideH] = strideH;
        p[ConvS8.DilationW] = dilationW;
        p[ConvS8.DilationH] = dilationH;
        p[ConvS8.PadW] = padW;
        p[ConvS8.PadH] = padH;
        p[ConvS8.InputOffset] = inputOffset;
        p[ConvS8.OutputOffset] = output.ZeroPoint;
        p[ConvS8.ActMin] = actMin;
        p[ConvS8.ActMax] = actMax;
        p[ConvS8.DepthMultiplier] = depthMultiplier;
        p[ConvS8.Bias] = EmmFormat.NoArray;
        p[ConvS8.BiasFolded] = fold ? 1 : 0;
        AddMacOp(op, depthwise ? OpCode.DepthwiseConv2D : OpCode.Conv2D, [inputIndex, filterIndex], output, p, macs,
            new ConstArray(ConvS8.Multipliers, multipliers), new ConstArray(ConvS8.Shifts, shifts), biasValues == null ? null : new ConstArray(ConvS8.Bias, biasValues));
    }

    /// <summary>CONV_2D / DEPTHWISE_CONV_2D with int16 activations and int8 weights (TFLM's 16x8 kernels).</summary>
    private void AddConvS16(TfOperator op, bool depthwise, TfTensor input, int inputIndex, int filterIndex, TfTensor output, TfTensor? bias,
        int[] geometry, int depthMultiplier, int[] multipliers, int[] shifts, int activation, long macs)
    {
        RequireSymmetric16(op, input, output);
        int channels = output.Shape[^1];
        var (biasValues, bits) = Bias16(op, bias, channels, shifts);
        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, 0, short.MinValue, short.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[ConvS16.ParamCount];
        Array.Copy(geometry, 0, p, ConvS16.StrideW, geometry.Length);
        p[ConvS16.ActMin] = actMin;
        p[ConvS16.ActMax] = actMax;
        p[ConvS16.DepthMultiplier] = depthMultiplier;
        p[ConvS16.Bias] = EmmFormat.NoArray;
        p[ConvS16.AccumulatorBits] = bits;
        AddMacOp(op, depthwise ? OpCode.DepthwiseConv2DS16 : OpCode.Conv2DS16, [inputIndex, filterIndex], output, p, macs,
            new ConstArray(ConvS16.Multipliers, multipliers), new ConstArray(ConvS16.Shifts, shifts), biasValues == null ? null : new ConstArray(ConvS16.Bias, biasValues));
    }

    /// <summary>TFLM's 16x8 kernels ignore zero points: int16 activations must be symmetric.</summary>
    private static void RequireSymmetric16(TfOperator op, TfTensor input, TfTensor output)
    {
        RequireQuantized(op, input, "input");
        RequireQuantized(op, output, "output");
        if (input.ZeroPoint != 0 || output.ZeroPoint != 0)
        {
            throw Unsupported(op, $"int16 activations with zero points {input.ZeroPoint} and {output.ZeroPoint} (16x8 quantization is symmetric: zero point 0)");
        }
    }

    /// <summary>
    /// The bias of a 16x8 op and the accumulator TFLM picks for it: none or int32 -> a 32-bit accumulator;
    /// int64 -> a 64-bit one, whose bias is stored as int32 pairs (low word first) and whose rescale takes
    /// shifts up to 7 only.
    /// </summary>
    private static (int[]? Values, int Bits) Bias16(TfOperator op, TfTensor? bias, int channels, int[] shifts)
    {
        if (bias == null)
        {
            return (null, 32);
        }

        if (bias.Type == TfLiteType.Int32)
        {
            return (BiasValues(op, bias, channels), 32);
        }

        if (bias.Type != TfLiteType.Int64 || bias.Data == null || bias.ElementCount != channels)
        {
            throw Unsupported(op, $"bias '{bias.Name}' of type {bias.Type} with {bias.ElementCount} elements (need constant int64 or int32 with {channels})");
        }

        if (shifts.Any(s => s > 7))
        {
            throw Unsupported(op, "a rescale factor of 128 or more with an int64 bias (TFLM's 64-bit rescale takes shifts up to 7)");
        }

        var values = new int[2 * channels];
        Buffer.BlockCopy(bias.Data, 0, values, 0, 8 * channels);
        return (values, 64);
    }

    /// <summary>Adds a multiply-accumulate op (conv, depthwise, fully connected) with its requantization arrays.</summary>
    private void AddMacOp(TfOperator op, int code, int[] inputs, TfTensor output, int[] p, long macs,
        ConstArray multipliers, ConstArray shifts, ConstArray? bias)
    {
        var emmOp = new EmmOp { Code = code, Inputs = inputs, Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index, Macs = macs };
        emmOp.Arrays.Add(multipliers);
        emmOp.Arrays.Add(shifts);
        if (bias != null)
        {
            emmOp.Arrays.Add(bias);
        }

        Add(emmOp);
    }

    /// <summary>TFLM's ComputePaddingHeightWidth for one axis: (padding before, output size).</summary>
    private static (int Pad, int OutSize) Padding(TfOperator op, int padding, int inSize, int filterSize, int stride, int dilation)
    {
        long effectiveFilter = (long)(filterSize - 1) * dilation + 1;
        long outSize = padding switch
        {
            PaddingSame => (inSize + stride - 1L) / stride,
            PaddingValid => (inSize + stride - effectiveFilter) / stride,
            _ => throw Invalid(op, $"unknown padding {padding}"),
        };
        long total = Math.Max(0, (outSize - 1) * stride + effectiveFilter - inSize);
        if (outSize < 1 || total / 2 > 0xFFFF)
        {
            throw Invalid(op, "the filter does not fit the input");
        }

        return ((int)(total / 2), (int)outSize);
    }

    private static float[] ChannelScales(TfOperator op, TfTensor filter, int channels, int quantDim)
    {
        if (filter.Scales.Length == 1)
        {
            return Enumerable.Repeat(filter.Scale, channels).ToArray();
        }

        if (filter.Scales.Length != channels || filter.QuantizedDimension != quantDim)
        {
            throw Invalid(op, $"filter has {filter.Scales.Length} scales on dimension {filter.QuantizedDimension}; expected 1 or {channels} on dimension {quantDim}");
        }

        if (filter.Scales.Any(s => !(s > 0) || float.IsInfinity(s)))
        {
            throw Invalid(op, "filter has a non-positive scale");
        }

        return filter.Scales;
    }

    private static void RequireZeroFilterOffsets(TfOperator op, TfTensor filter)
    {
        if (filter.ZeroPoints.Any(z => z != 0))
        {
            throw Unsupported(op, "asymmetric (non-zero zero point) int8 weights");
        }
    }

    private static int[]? BiasValues(TfOperator op, TfTensor? bias, int channels)
    {
        if (bias == null)
        {
            return null;
        }

        if (bias.Type != TfLiteType.Int32 || bias.Data == null || bias.ElementCount != channels)
        {
            throw Unsupported(op, $"bias '{bias.Name}' of type {bias.Type} with {bias.ElementCount} elements (need constant int32 with {channels})");
        }

        var values = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            values[c] = BitConverter.ToInt32(bias.Data, c * 4);
        }

        return values;
    }

    // ---- FULLY_CONNECTED ----

    private void LowerFullyConnected(TfOperator op)
    {
        TfTensor input = In(op, 0), filter = In(op, 1), output = Out(op);
        TfTensor? bias = OptionalIn(op, 2);
        if (input.Type == TfLiteType.Int8 && output.Type == TfLiteType.Int32)
        {
            // TFLM's FullyConnectedPrepare requires output type == input type: there is no TFLM result to match.
            throw Unsupported(op, $"an int32 output '{output.Name}' from an int8 input (TensorFlow Lite Micro refuses it too: its output type must equal the input type)");
        }

        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, filter, "weights", TfLiteType.Int8);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, filter, "weights", 2);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, filter, "weights");
        RequireQuantized(op, output, "output");
        int inputIndex = MapArena(op, input, "input");
        int filterIndex = MapConstant(op, filter, "weights");
        byte[] weights = filter.Data!;
        FlatTable? o = op.Options;
        int activation = o?.GetByte(0) ?? 0;
        int weightsFormat = o?.GetByte(1) ?? 0;
        if (weightsFormat != 0)
        {
            throw Unsupported(op, "shuffled weights format");
        }

        int outDepth = filter.Shape[0], accumDepth = filter.Shape[1];
        long outputElements = output.ElementCount;
        if (output.Shape.Length == 0 || output.Shape[^1] != outDepth || outputElements % outDepth != 0
            || outputElements / outDepth * accumDepth != input.ElementCount)
        {
            throw Invalid(op, $"input [{string.Join(",", input.Shape)}], weights [{string.Join(",", filter.Shape)}] and output [{string.Join(",", output.Shape)}] do not fit");
        }

        RequireZeroFilterOffsets(op, filter);
        int[] multipliers, shifts;
        if (filter.Scales.Length == 1)
        {
            // TFLM (GetQuantizedConvolutionMultipler): the scale product is taken in float, then widened.
            double real = (double)(input.Scale * filter.Scale) / output.Scale;
            var (m, s) = QuantizationMath.QuantizeMultiplier(real);
            multipliers = [m];
            shifts = [s];
        }
        else
        {
            float[] scales = ChannelScales(op, filter, outDepth, 0);
            multipliers = new int[outDepth];
            shifts = new int[outDepth];
            for (int c = 0; c < outDepth; c++)
            {
                (multipliers[c], shifts[c]) = QuantizationMath.QuantizeMultiplier((double)input.Scale * scales[c] / output.Scale);
            }
        }

        if (input.Type == TfLiteType.Int16)
        {
            AddFullyConnectedS16(op, inputIndex, filterIndex, output, bias, multipliers, shifts, activation, outputElements * accumDepth);
            return;
        }

        int inputOffset = -input.ZeroPoint;
        int[] biasValues = BiasValues(op, bias, outDepth) ?? new int[outDepth];
        for (int c = 0; c < outDepth; c++)
        {
            long sum = 0;
            for (int d = 0; d < accumDepth; d++)
            {
                sum += (sbyte)weights[c * accumDepth + d];
            }

            biasValues[c] = unchecked(biasValues[c] + (int)(sum * inputOffset));
        }

        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, output.ZeroPoint, -128, 127, $"op {op.Index} ({op.Name})");
        int[] p = new int[FullyConnectedS8.ParamCount];
        p[FullyConnectedS8.InputOffset] = inputOffset;
        p[FullyConnectedS8.OutputOffset] = output.ZeroPoint;
        p[FullyConnectedS8.ActMin] = actMin;
        p[FullyConnectedS8.ActMax] = actMax;
        p[FullyConnectedS8.MultiplierCount] = multipliers.Length;
        p[FullyConnectedS8.BiasFolded] = 1;
        AddMacOp(op, OpCode.FullyConnected, [inputIndex, filterIndex], output, p, outputElements * accumDepth,
            new ConstArray(FullyConnectedS8.Multipliers, multipliers), new ConstArray(FullyConnectedS8.Shifts, shifts),
            new ConstArray(FullyConnectedS8.Bias, biasValues));
    }

    private void AddFullyConnectedS16(TfOperator op, int inputIndex, int filterIndex, TfTensor output, TfTensor? bias,
        int[] multipliers, int[] shifts, int activation, long macs)
    {
        RequireSymmetric16(op, In(op, 0), output);
        int outDepth = output.Shape[^1];
        var (biasValues, bits) = Bias16(op, bias, outDepth, shifts);
        var (actMin, actMax) = QuantizationMath.ActivationRange(activation, output.Scale, 0, short.MinValue, short.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[FullyConnectedS16.ParamCount];
        p[FullyConnectedS16.ActMin] = actMin;
        p[FullyConnectedS16.ActMax] = actMax;
        p[FullyConnectedS16.MultiplierCount] = multipliers.Length;
        p[FullyConnectedS16.Bias] = EmmFormat.NoArray;
        p[FullyConnectedS16.AccumulatorBits] = bits;
        AddMacOp(op, OpCode.FullyConnectedS16, [inputIndex, filterIndex], output, p, macs,
            new ConstArray(FullyConnectedS16.Multipliers, multipliers), new ConstArray(FullyConnectedS16.Shifts, shifts), biasValues == null ? null : new ConstArray(FullyConnectedS16.Bias, biasValues));
    }

    // ---- pooling ----

    private void LowerPool(TfOperator op, int code)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        TfTensor input = In(op, 0), output = Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, input, "input", 4);
        RequireRank(op, output, "output", 4);
        RequireQuantized(op, output, "output");
        if (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint)
        {
            throw Unsupported(op, "different input and output quantization");
        }

        int padding = o.GetByte(0), strideW = o.GetInt(1), strideH = o.GetInt(2), filterW = o.GetInt(3), filterH = o.GetInt(4);
        if (strideW < 1 || strideH < 1 || filterW < 1 || filterH < 1)
        {
            throw Invalid(op, "strides and filter size must be at least 1");
        }

        var (padH, expectH) = Padding(op, padding, input.Shape[1], filterH, strideH, 1);
        var (padW, expectW) = Padding(op, padding, input.Shape[2], filterW, strideW, 1);
        if (expectH != output.Shape[1] || expectW != output.Shape[2] || input.Shape[0] != output.Shape[0] || input.Shape[3] != output.Shape[3])
        {
            throw Invalid(op, "output shape does not match the input, filter and strides");
        }

        bool int16 = input.Type == TfLiteType.Int16;
        var (actMin, actMax) = QuantizationMath.ActivationRange(o.GetByte(5), output.Scale, output.ZeroPoint,
            int16 ? short.MinValue : sbyte.MinValue, int16 ? short.MaxValue : sbyte.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[PoolingS8.ParamCount];
        p[PoolingS8.StrideW] = strideW;
        p[PoolingS8.StrideH] = strideH;
        p[PoolingS8.FilterW] = filterW;
        p[PoolingS8.FilterH] = filterH;
        p[PoolingS8.PadW] = padW;
        p[PoolingS8.PadH] = padH;
        p[PoolingS8.ActMin] = actMin;
        p[PoolingS8.ActMax] = actMax;
        Add(new EmmOp { Code = code, Inputs = [MapArena(op, input, "input")], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    // ---- RESHAPE / SQUEEZE: an alias, nothing runs ----

    private void LowerReshape(TfOperator op)
    {
        TfTensor input = In(op, 0), output = Out(op);
        if (input.Type != output.Type || input.ElementCount != output.ElementCount)
        {
            throw Invalid(op, "input and output differ in type or element count");
        }

        int source = MapArena(op, input, "input");
        int target = Map(output.Index);
        _graph.Tensors[target].AliasOf = source;
        Add(new EmmOp { Code = OpCode.Reshape, Inputs = [source], Outputs = [target], Params = [], SourceIndex = op.Index });
    }

    // ---- SOFTMAX ----

    private void LowerSoftmax(TfOperator op)
    {
        TfTensor input = In(op, 0), output = Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        if (input.Type == TfLiteType.Int16)
        {
            RequireType(op, output, "output", TfLiteType.Int16);
            LowerSoftmaxS16(op, input, output);
            return;
        }

        // int8 in: int8 out (scale 1/256, zero point -128) or int16 out (scale 1/65536 within 0.1%, zero point
        // -32768), TFLM's CalculateSoftmaxParams; the kernel (SoftmaxS8) takes the output width from the tensor.
        RequireType(op, output, "output", TfLiteType.Int8, TfLiteType.Int16);
        RequireQuantized(op, input, "input");
        if (output.Type == TfLiteType.Int8 && (output.ZeroPoint != -128 || output.Scale != 1f / 256))
        {
            throw Unsupported(op, $"an int8 output with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires 1/256 and -128)");
        }

        if (output.Type == TfLiteType.Int16 && (output.ZeroPoint != -32768 || Math.Abs(output.Scale - 1.0 / 65536) > 0.001 / 65536))
        {
            throw Unsupported(op, $"an int16 output of an int8 softmax with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires 1/65536 and -32768)");
        }

        if (input.Shape.Length == 0 || input.Shape[^1] > SoftmaxS8.MaxDepth)
        {
            throw Unsupported(op, $"a softmax over more than {SoftmaxS8.MaxDepth} classes");
        }

        const int ScaledDiffIntegerBits = 5;
        double beta = op.Options?.GetFloat(0) ?? 0f;
        double real = Math.Min(beta * input.Scale * (1 << (31 - ScaledDiffIntegerBits)), (1L << 31) - 1.0);
        var (multiplier, leftShift) = QuantizationMath.QuantizeMultiplierGreaterThanOne(real);
        int diffMin = -QuantizationMath.CalculateInputRadius(ScaledDiffIntegerBits, leftShift);
        int[] p = new int[SoftmaxS8.ParamCount];
        p[SoftmaxS8.InputMultiplier] = multiplier;
        p[SoftmaxS8.InputLeftShift] = leftShift;
        p[SoftmaxS8.DiffMin] = diffMin;
        Add(new EmmOp { Code = OpCode.Softmax, Inputs = [MapArena(op, input, "input")], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    private void LowerSoftmaxS16(TfOperator op, TfTensor input, TfTensor output)
    {
        RequireQuantized(op, input, "input");
        if (output.ZeroPoint != 0 || Math.Abs(output.Scale - 1f / 32768) > 0.001f / 32768)
        {
            throw Unsupported(op, $"an int16 output with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires 1/32768 and 0)");
        }

        if (input.Shape.Length == 0 || input.Shape[^1] > SoftmaxS16.MaxDepth)
        {
            throw Unsupported(op, $"a softmax over more than {SoftmaxS16.MaxDepth} classes");
        }

        // TFLM's CalculateSoftmaxParams for int16: differences scaled so that [-65535, 0] is [-10, 0].
        double beta = op.Options?.GetFloat(0) ?? 0f;
        var (multiplier, shift) = QuantizationMath.QuantizeMultiplier((double)input.Scale * beta / (10.0 / 65535.0));
        int[] p = new int[SoftmaxS16.ParamCount];
        p[SoftmaxS16.InputMultiplier] = multiplier;
        p[SoftmaxS16.InputShift] = shift;
        var emmOp = new EmmOp { Code = OpCode.SoftmaxS16, Inputs = [MapArena(op, input, "input")], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index };
        emmOp.Arrays.Add(new ConstArray(SoftmaxS16.ExpTable, PackInt16(QuantizationMath.Int16Table(MathF.Exp, -10f, 0f, -1f, 1f))));
        emmOp.Arrays.Add(new ConstArray(SoftmaxS16.ReciprocalTable, PackInt16(QuantizationMath.Int16Table(x => 1f / (1f + x), 0f, 1f, -1f, 1f))));
        Add(emmOp);
    }

    /// <summary>int16 values two to an int32 word (low half first), padded with zero to whole words.</summary>
    private static int[] PackInt16(short[] values)
    {
        var words = new int[(values.Length + 1) / 2];
        Buffer.BlockCopy(values, 0, words, 0, values.Length * 2);
        return words;
    }

    // ---- ADD ----

    private void LowerAdd(TfOperator op)
    {
        TfTensor a = In(op, 0), b = In(op, 1), output = Out(op);
        RequireType(op, output, "output", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, a, "input 1", output.Type);
        RequireType(op, b, "input 2", output.Type);
        bool int16 = output.Type == TfLiteType.Int16;
        RequireQuantized(op, a, "input 1");
        RequireQuantized(op, b, "input 2");
        RequireQuantized(op, output, "output");
        // TFLM's CalculateOpDataAdd: 20 bits of headroom for int8, 15 for int16.
        int leftShift = int16 ? 15 : 20;
        double twiceMaxInputScale = 2 * (double)Math.Max(a.Scale, b.Scale);
        var (m1, s1) = QuantizationMath.QuantizeMultiplierSmallerThanOneExp(a.Scale / twiceMaxInputScale);
        var (m2, s2) = QuantizationMath.QuantizeMultiplierSmallerThanOneExp(b.Scale / twiceMaxInputScale);
        var (mo, so) = QuantizationMath.QuantizeMultiplierSmallerThanOneExp(twiceMaxInputScale / ((1 << leftShift) * (double)output.Scale));
        var (actMin, actMax) = QuantizationMath.ActivationRange(op.Options?.GetByte(0) ?? 0, output.Scale, output.ZeroPoint,
            int16 ? short.MinValue : sbyte.MinValue, int16 ? short.MaxValue : sbyte.MaxValue, $"op {op.Index} ({op.Name})");
        int[] p = new int[AddS8.ParamCount];
        p[AddS8.LeftShift] = leftShift;
        p[AddS8.Input1Offset] = -a.ZeroPoint;
        p[AddS8.Input1Multiplier] = m1;
        p[AddS8.Input1Shift] = s1;
        p[AddS8.Input2Offset] = -b.ZeroPoint;
        p[AddS8.Input2Multiplier] = m2;
        p[AddS8.Input2Shift] = s2;
        p[AddS8.OutputOffset] = output.ZeroPoint;
        p[AddS8.OutputMultiplier] = mo;
        p[AddS8.OutputShift] = so;
        p[AddS8.ActMin] = actMin;
        p[AddS8.ActMax] = actMax;
        Add(new EmmOp { Code = OpCode.Add, Inputs = [Map(a.Index), Map(b.Index)], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    // ---- MEAN over height and width ----

    private void LowerMean(TfOperator op)
    {
        TfTensor input = In(op, 0), axis = In(op, 1), output = Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", input.Type);
        RequireRank(op, input, "input", 4);
        RequireQuantized(op, input, "input");
        RequireQuantized(op, output, "output");
        if (axis.Type != TfLiteType.Int32 || axis.Data == null)
        {
            throw Unsupported(op, "a non-constant or non-int32 axis");
        }

        var axes = Enumerable.Range(0, axis.Data.Length / 4).Select(i => BitConverter.ToInt32(axis.Data, i * 4)).OrderBy(x => x).ToArray();
        if (!axes.SequenceEqual([1, 2]))
        {
            throw Unsupported(op, $"a mean over axes [{string.Join(",", axes)}] (only [1,2], height and width, is supported)");
        }

        var (multiplier, shift) = QuantizationMath.QuantizeMultiplier((double)input.Scale / output.Scale);
        int[] p = new int[MeanS8.ParamCount];
        p[MeanS8.InputOffset] = -input.ZeroPoint;
        p[MeanS8.OutputOffset] = output.ZeroPoint;
        p[MeanS8.Multiplier] = multiplier;
        p[MeanS8.Shift] = shift;
        Add(new EmmOp { Code = OpCode.Mean, Inputs = [MapArena(op, input, "input")], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    // ---- LOGISTIC and TANH ----

    private void LowerActivation(TfOperator op, int code)
    {
        TfTensor input = In(op, 0), output = Out(op);
        RequireType(op, input, "input", TfLiteType.Int8);
        RequireType(op, output, "output", TfLiteType.Int8);
        RequireQuantized(op, input, "input");
        bool logistic = code == OpCode.Logistic;
        float expectedScale = logistic ? 1f / 256 : 1f / 128;
        int expectedZero = logistic ? -128 : 0;
        if (output.Scale != expectedScale || output.ZeroPoint != expectedZero)
        {
            throw Unsupported(op, $"an int8 output with scale {output.Scale} and zero point {output.ZeroPoint} (TFLM requires {expectedScale} and {expectedZero})");
        }

        const int InputIntegerBits = 4;
        double real = (double)input.Scale * (1 << (31 - InputIntegerBits));
        double q = QuantizationMath.Frexp(real, out int leftShift);
        long multiplier = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (multiplier == 1L << 31)
        {
            multiplier /= 2;
            leftShift++;
        }

        if (leftShift > 30 || leftShift < -31)
        {
            throw Unsupported(op, $"an input scale of {input.Scale}");
        }

        int[] p = new int[ActivationS8.ParamCount];
        p[ActivationS8.InputZeroPoint] = input.ZeroPoint;
        p[ActivationS8.InputMultiplier] = (int)multiplier;
        p[ActivationS8.InputLeftShift] = leftShift;
        p[ActivationS8.InputRangeRadius] = QuantizationMath.CalculateInputRadius(InputIntegerBits, Math.Max(0, leftShift));
        Add(new EmmOp { Code = code, Inputs = [Map(input.Index)], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    // ---- QUANTIZE and DEQUANTIZE ----

    private void LowerQuantize(TfOperator op)
    {
        TfTensor input = In(op, 0), output = Out(op);
        RequireType(op, input, "input", TfLiteType.Float32, TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", TfLiteType.Int8, TfLiteType.Int16);
        RequireQuantized(op, output, "output");
        int[] p = new int[QuantizeKernels.QuantizeParamCount];
        p[QuantizeKernels.OutputZeroPoint] = output.ZeroPoint;
        p[QuantizeKernels.OutputScaleBits] = BitConverter.SingleToInt32Bits(output.Scale);
        if (input.Type != TfLiteType.Float32)
        {
            RequireQuantized(op, input, "input");
            var (m, s) = QuantizationMath.QuantizeMultiplier((double)input.Scale / output.Scale);
            p[QuantizeKernels.InputZeroPoint] = input.ZeroPoint;
            p[QuantizeKernels.Multiplier] = m;
            p[QuantizeKernels.Shift] = s;
        }

        Add(new EmmOp { Code = OpCode.Quantize, Inputs = [Map(input.Index)], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    private void LowerDequantize(TfOperator op)
    {
        TfTensor input = In(op, 0), output = Out(op);
        RequireType(op, input, "input", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, output, "output", TfLiteType.Float32);
        RequireQuantized(op, input, "input");
        int[] p = new int[QuantizeKernels.DequantizeParamCount];
        p[QuantizeKernels.ZeroPoint] = input.ZeroPoint;
        p[QuantizeKernels.ScaleBits] = BitConverter.SingleToInt32Bits(input.Scale);
        Add(new EmmOp { Code = OpCode.Dequantize, Inputs = [Map(input.Index)], Outputs = [Map(output.Index)], Params = p, SourceIndex = op.Index });
    }

    // ---- SVDF ----

    private void LowerSvdf(TfOperator op)
    {
        FlatTable o = op.Options ?? throw Invalid(op, "options are missing");
        TfTensor input = In(op, 0), feature = In(op, 1), time = In(op, 2), state = In(op, 4), output = Out(op);
        TfTensor? bias = OptionalIn(op, 3);
        RequireType(op, input, "input", TfLiteType.Int8);
        RequireType(op, feature, "feature weights", TfLiteType.Int8);
        RequireType(op, time, "time weights", TfLiteType.Int8, TfLiteType.Int16);
        RequireType(op, state, "activation state", time.Type);
        RequireType(op, output, "output", TfLiteType.Int8);
        foreach (var (t, role) in new[] { (input, "input"), (feature, "feature weights"), (time, "time weights"), (state, "activation state"), (output, "output") })
        {
            RequireRank(op, t, role, 2);
            RequireQuantized(op, t, role);
        }

        int rank = o.GetInt(0);
        int batches = input.Shape[0], inputSize = input.Shape[1], filters = feature.Shape[0], memory = time.Shape[1];
        if (rank < 1 || filters % rank != 0)
        {
            throw Invalid(op, $"rank {rank} does not divide the {filters} filters");
        }

        int units = filters / rank;
        if (feature.Shape[1] != inputSize || time.Shape[0] != filters || state.Shape[0] != batches
            || (long)state.Shape[1] != (long)filters * memory || output.Shape[0] != batches || output.Shape[1] != units)
        {
            throw Invalid(op, $"input [{string.Join(",", input.Shape)}], feature weights [{string.Join(",", feature.Shape)}], time weights [{string.Join(",", time.Shape)}], "
                + $"state [{string.Join(",", state.Shape)}] and output [{string.Join(",", output.Shape)}] do not fit rank {rank}");
        }

        RequireZeroFilterOffsets(op, feature);
        RequireZeroFilterOffsets(op, time);
        if (feature.Scales.Length != 1 || time.Scales.Length != 1)
        {
            throw Unsupported(op, "per-channel SVDF weights (TFLM's SVDF is per-tensor)");
        }

        if (bias != null && Math.Abs((double)bias.Scale - (double)(state.Scale * time.Scale)) >= 1e-5)
        {
            throw Invalid(op, $"bias scale {bias.Scale} is not activation state scale x time weights scale ({state.Scale * time.Scale}), as TFLM requires");
        }

        // TFLM's PrepareSvdf: the scale products are taken in float, then widened to double.
        var (featureMultiplier, featureShift) = QuantizationMath.QuantizeMultiplier((double)(input.Scale * feature.Scale / state.Scale));
        var (outputMultiplier, outputShift) = QuantizationMath.QuantizeMultiplier((double)(state.Scale * time.Scale / output.Scale));

        byte[] featureWeights = feature.Data ?? throw Unsupported(op, "non-constant feature weights");
        byte[] timeWeights = time.Data ?? throw Unsupported(op, "non-constant time weights");
        bool wide = time.Type == TfLiteType.Int16;
        var featureOffsets = new int[filters];
        for (int f = 0; f < filters; f++)
        {
            long sum = 0;
            for (int d = 0; d < inputSize; d++)
            {
                sum += (sbyte)featureWeights[f * inputSize + d];
            }

            featureOffsets[f] = unchecked((int)(-input.ZeroPoint * sum));
        }

        int[] biasValues = BiasValues(op, bias, units) ?? new int[units];
        for (int u = 0; u < units; u++)
        {
            long sum = 0;
            for (int i = u * rank * memory; i < (u + 1) * rank * memory; i++)
            {
                sum += wide ? BitConverter.ToInt16(timeWeights, 2 * i) : (sbyte)timeWeights[i];
            }

            // int32 wrap-around is what TFLM's accumulator does: folding is exact modulo 2^32.
            biasValues[u] = unchecked(biasValues[u] - (int)(state.ZeroPoint * sum));
        }

        int[] p = new int[SvdfS8.ParamCount];
        p[SvdfS8.Rank] = rank;
        p[SvdfS8.StateZeroPoint] = state.ZeroPoint;
        p[SvdfS8.OutputZeroPoint] = output.ZeroPoint;
        p[SvdfS8.FeatureMultiplier] = featureMultiplier;
        p[SvdfS8.FeatureShift] = featureShift;
        p[SvdfS8.OutputMultiplier] = outputMultiplier;
        p[SvdfS8.OutputShift] = outputShift;
        var emmOp = new EmmOp
        {
            Code = OpCode.Svdf,
            Inputs = [MapArena(op, input, "input"), MapConstant(op, feature, "feature weights"), MapConstant(op, time, "time weights"), Map(state.Index, state: true)],
            Outputs = [Map(output.Index)],
            Params = p,
            SourceIndex = op.Index,
            Macs = (long)batches * filters * (inputSize + memory),
        };
        emmOp.Arrays.Add(new ConstArray(SvdfS8.FeatureOffsets, featureOffsets));
        emmOp.Arrays.Add(new ConstArray(SvdfS8.Bias, biasValues));
        Add(emmOp);
    }
}
