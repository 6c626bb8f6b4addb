using Edge.Micro.Converter;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>The corpus models, converted once per test run.</summary>
public static class CorpusModels
{
    public const string MicroSpeech = "micro_speech";
    public const string DsCnnS = "ds_cnn_s";
    public const string Add2Conv = "multi_io/add2_conv";
    public const string FcTwoHeads = "multi_io/fc_two_heads";
    public const string FcSoftmax16Quantize = "softmax_int16_out/fc_softmax16_quantize";
    public const string LstmA = "lstm/lstm_a";
    public const string LstmB = "lstm/lstm_b";

    /// <summary>Every corpus model whose golden cases the tests run (section numbers of the corpus MANIFEST).</summary>
    public static readonly string[] WithGoldens =
    [
        MicroSpeech, DsCnnS, Add2Conv, FcTwoHeads, FcSoftmax16Quantize,
        "softmax_int16_out/softmax_scale0.0625_zp-128_1x4x10", "softmax_int16_out/softmax_scale0.0625_zp0_1x12",
        "softmax_int16_out/softmax_scale0.1_zp-20_1x12", "softmax_int16_out/softmax_scale0.1_zp5_1x4x10",
        "softmax_int16_out/softmax_scale0.1_zp5_1x4x10_beta0.5", "softmax_int16_out/softmax_scale0.25_zp127_1x4x10",
        "softmax_int16_out/softmax_scale0.25_zp13_1x12",
        .. ActivationCases("logistic"), .. ActivationCases("tanh"), LstmA, LstmB,
    ];

    /// <summary>
    /// The corpus's LOGISTIC or TANH models (section 9): every int16 input at seven scales, every int8 input at
    /// three. Each model folder is its one case.
    /// </summary>
    public static string[] ActivationCases(string op) =>
    [
        .. new[] { "0.00021", "0.001", "2pow-10", "2pow-11", "2pow-12", "2pow-13", "2pow-15" }.Select(s => $"int16_activations/{op}_int16_scale{s}"),
        .. (op == "logistic" ? new[] { "0.02_zp10", "0.0625_zp0", "0.1137_zp-7" } : new[] { "0.012_zp-128", "0.0625_zp0", "0.0784_zp5" })
            .Select(s => $"int16_activations/{op}_int8_scale{s}"),
    ];

    private static readonly Dictionary<string, ConversionResult> Cache = [];

    /// <summary>The .tflite file of a corpus model.</summary>
    public static string TfLitePath(string model) => model switch
    {
        MicroSpeech => Corpus.PathOf("models", "micro_speech_quantized.tflite"),
        DsCnnS => Corpus.PathOf("models", "ds_cnn_s_quantized.tflite"),
        // Models built for the corpus: <folder>/models/<name>.tflite beside <folder>/<name>/ (goldens).
        _ when model.Contains('/') => Corpus.PathOf(Path.GetDirectoryName(model)!, "models", Path.GetFileName(model) + ".tflite"),
        _ => throw new ArgumentException(model),
    };

    /// <summary>The golden cases folder of a corpus model.</summary>
    public static string GoldensPath(string model) => Corpus.PathOf(model);

    /// <summary>The converted model.</summary>
    public static ConversionResult Converted(string model)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(model, out ConversionResult? result))
            {
                result = ModelConverter.Convert(File.ReadAllBytes(TfLitePath(model)), Path.GetFileName(model));
                Cache[model] = result;
            }

            return result;
        }
    }
}
