using Edge.Micro.Converter;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>The corpus models, converted once per test run.</summary>
public static class CorpusModels
{
    public const string MicroSpeech = "micro_speech";
    public const string DsCnnS = "ds_cnn_s";

    private static readonly Dictionary<string, ConversionResult> Cache = [];

    /// <summary>The .tflite file of a corpus model.</summary>
    public static string TfLitePath(string model) => Corpus.PathOf("models", model switch
    {
        MicroSpeech => "micro_speech_quantized.tflite",
        DsCnnS => "ds_cnn_s_quantized.tflite",
        _ => throw new ArgumentException(model),
    });

    /// <summary>The golden cases folder of a corpus model.</summary>
    public static string GoldensPath(string model) => Corpus.PathOf(model);

    /// <summary>The converted model.</summary>
    public static ConversionResult Converted(string model)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(model, out ConversionResult? result))
            {
                result = ModelConverter.Convert(File.ReadAllBytes(TfLitePath(model)), model);
                Cache[model] = result;
            }

            return result;
        }
    }
}
