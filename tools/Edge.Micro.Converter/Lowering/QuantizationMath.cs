namespace Edge.Micro.Converter.Lowering;

/// <summary>
/// The "Prepare" arithmetic of TensorFlow Lite Micro, done once on the desktop: real multipliers to
/// Q0.31 multiplier and shift (tensorflow/lite/kernels/internal/quantization_util.cc) and fused
/// activation ranges (kernel_util.cc). Float and double are used exactly where TFLM uses them, because
/// a different rounding of the multiplier changes output bytes.
/// </summary>
public static class QuantizationMath
{
    /// <summary>frexp: value = fraction * 2^exponent with |fraction| in [0.5, 1).</summary>
    public static double Frexp(double value, out int exponent)
    {
        exponent = 0;
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return value;
        }

        exponent = Math.ILogB(value) + 1;
        return Math.ScaleB(value, -exponent);
    }

    /// <summary>QuantizeMultiplier: a real multiplier as a Q0.31 significand and a power-of-two exponent.</summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (real == 0)
        {
            return (0, 0);
        }

        double q = Frexp(real, out int shift);
        long fixedPoint = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (fixedPoint == 1L << 31)
        {
            fixedPoint /= 2;
            shift++;
        }

        if (shift < -31)
        {
            shift = 0;
            fixedPoint = 0;
        }

        if (shift > 30)
        {
            shift = 30;
            fixedPoint = (1L << 31) - 1;
        }

        return ((int)fixedPoint, shift);
    }

    /// <summary>QuantizeMultiplierGreaterThanOne (softmax): the shift must come out non-negative.</summary>
    public static (int Multiplier, int LeftShift) QuantizeMultiplierGreaterThanOne(double real)
    {
        var (m, s) = QuantizeMultiplier(real);
        if (s < 0)
        {
            throw new ConverterException($"multiplier {real} is below one where TFLM requires at least one");
        }

        return (m, s);
    }

    /// <summary>QuantizeMultiplierSmallerThanOneExp (ADD): the shift must come out non-positive.</summary>
    public static (int Multiplier, int LeftShift) QuantizeMultiplierSmallerThanOneExp(double real)
    {
        var (m, s) = QuantizeMultiplier(real);
        if (s > 0)
        {
            throw new ConverterException($"multiplier {real} is above one where TFLM requires at most one");
        }

        return (m, s);
    }

    /// <summary>CalculateInputRadius: the largest input magnitude that does not saturate a fixed-point function.</summary>
    public static int CalculateInputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits = 31)
    {
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1) * (1L << (totalSignedBits - inputIntegerBits)) / (1L << inputLeftShift);
        return (int)Math.Floor(maxInputRescaled);
    }

    /// <summary>The quantized [min, max] of a fused activation (TFLM's CalculateActivationRangeQuantized).</summary>
    public static (int Min, int Max) ActivationRange(int activation, float scale, int zeroPoint, int qmin, int qmax, string where)
    {
        int Quantize(float f)
        {
            float t = MathF.Round(f / scale, MidpointRounding.AwayFromZero);
            return zeroPoint + (int)t;
        }

        return activation switch
        {
            Activation.None => (qmin, qmax),
            Activation.Relu => (Math.Max(qmin, Quantize(0f)), qmax),
            Activation.Relu6 => (Math.Max(qmin, Quantize(0f)), Math.Min(qmax, Quantize(6f))),
            Activation.ReluN1To1 => (Math.Max(qmin, Quantize(-1f)), Math.Min(qmax, Quantize(1f))),
            _ => throw new ConverterException($"{where}: fused activation {Activation.Name(activation)} is not supported (supported: NONE, RELU, RELU6, RELU_N1_TO_1)"),
        };
    }

    /// <summary>Entries of an int16-input lookup table: 512 steps and the end point.</summary>
    public const int Int16TableEntries = 513;

    /// <summary>
    /// TFLM's gen_lut&lt;float, int16_t, int16_t&gt; (kernels/internal/common.h): <paramref name="func"/> sampled at
    /// 512 steps over [inputMin, inputMax] and scaled from [outputMin, outputMax] to int16, each entry nudged by
    /// half the error of linear interpolation at the step's midpoint; entry 512 is func(inputMax). Float
    /// arithmetic throughout, as in TFLM (std::exp(float) is MathF.Exp, the C library's expf, here too).
    /// </summary>
    public static short[] Int16Table(Func<float, float> func, float inputMin, float inputMax, float outputMin, float outputMax)
    {
        const int Steps = Int16TableEntries - 1;
        float step = (inputMax - inputMin) / Steps;
        float halfStep = step / 2;
        float scale = 65536f / (outputMax - outputMin);
        var table = new short[Int16TableEntries];
        for (int i = 0; i < Steps; i++)
        {
            float value = func(inputMin + i * step);
            float midpoint = func(inputMin + i * step + halfStep);
            float next = func(inputMin + (i + 1) * step);
            float sample = RoundAway(value * scale);
            float interpolated = RoundAway((next * scale + RoundAway(value * scale)) / 2);
            float bias = RoundAway((interpolated - RoundAway(midpoint * scale)) / 2);
            table[i] = ClampToInt16(sample - bias);
        }

        table[Steps] = ClampToInt16(RoundAway(func(inputMax) * scale));
        return table;
    }

    private static float RoundAway(float x) => MathF.Round(x, MidpointRounding.AwayFromZero);

    private static short ClampToInt16(float x) => (short)Math.Min(Math.Max(x, short.MinValue), short.MaxValue);
}

/// <summary>TFLite ActivationFunctionType values.</summary>
public static class Activation
{
    public const int None = 0;
    public const int Relu = 1;
    public const int ReluN1To1 = 2;
    public const int Relu6 = 3;
    public const int Tanh = 4;
    public const int SignBit = 5;

    /// <summary>Schema name.</summary>
    public static string Name(int a) => a switch
    {
        None => "NONE", Relu => "RELU", ReluN1To1 => "RELU_N1_TO_1", Relu6 => "RELU6", Tanh => "TANH", SignBit => "SIGN_BIT", _ => $"#{a}",
    };
}
