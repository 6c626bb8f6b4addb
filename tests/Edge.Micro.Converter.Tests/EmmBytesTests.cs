using System.Security.Cryptography;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// Pins the exact .emm bytes the converter writes for every model it converts today (corpus models, the shipped
/// default and the generated test models): restructuring the lowering must not change a single byte. A change
/// of the format or of a lowering rule updates the hash here on purpose, in the same commit, with the reason.
/// </summary>
public class EmmBytesTests
{
    /// <summary>Corpus models (folder/name under the corpus, as <see cref="CorpusModels"/> names them) and their .emm SHA-256.</summary>
    public static TheoryData<string, string> CorpusHashes => new()
    {
        { "micro_speech", "89ed98a909a7d0bde5e990c617095e57ffe9a28c607d729272a9d31011a25501" },
        { "ds_cnn_s", "fadb7bcbe1b3bd8c1427cbc4b8cb597354df370f436ea98d8eede9c60fea1abd" },
        { "multi_io/add2_conv", "cc0b80648d4a915c8ef37e026e24496bf7f56e9dd2d4cf7ccf8dde6378d1845d" },
        { "multi_io/fc_two_heads", "6d746c775f985d14316edcf5596cb658b8e34e3b9b6bad451d6d6ab87bd207a2" },
        { "softmax_int16_out/fc_softmax16_quantize", "76611c7cbbd78a548e86e946d181acbc34ed91501ab2b42b283f8d318aa45b19" },
        { "softmax_int16_out/softmax_scale0.0625_zp-128_1x4x10", "4ba0f7ff34b547a7a9976c005057d8d8e92c9b392bd34c123218052e208d7a48" },
        { "softmax_int16_out/softmax_scale0.0625_zp0_1x12", "ebe9f63eaed3f57bbca2c42209ca106e0fef4203ea76ea5b0214a5b5af781440" },
        { "softmax_int16_out/softmax_scale0.1_zp-20_1x12", "7db41685563b5e29dbdc5e376d5e2f9abd05b7e32f7f1ad95aabf66601cfeb7d" },
        { "softmax_int16_out/softmax_scale0.1_zp5_1x4x10", "d49eb77a706d2ea810706b0df170298c1f6f54d74289aa7922db04c734f4df0c" },
        { "softmax_int16_out/softmax_scale0.1_zp5_1x4x10_beta0.5", "650bfeb91bbc3b56d0ce2140b4e155c5be029de7a3bbd43b4f1644d69a5d5af4" },
        { "softmax_int16_out/softmax_scale0.25_zp127_1x4x10", "d57782f8d271cbbf5fc34dce46b98656ea5bb7e0c03f12fd3f5bd7e997423bca" },
        { "softmax_int16_out/softmax_scale0.25_zp13_1x12", "7f160fc5989e6ebae4a57ca5d27cad7d6599a434582ce74262d49875706f14dc" },
        { "int16_activations/tanh_int8_scale0.0784_zp5", "7c535d41c1468822f0434704ae04f1d7c14eebc28f6593517eeed15ff1cb0e7f" },
        { "int16_activations/logistic_int8_scale0.0625_zp0", "d0621ecb949973fcdba3c7934efd2fe35b302db04d19dadfc9fa6b42b4b65db1" },
        { "int16_activations/logistic_int8_scale0.1137_zp-7", "755365c76f268d5e7b33792695a532503aa5dbca53f42b968975a8062663f7a2" },
        { "int16_activations/tanh_int8_scale0.012_zp-128", "ade02630c832646d484f3e97e8b3f03a007c5d10ea42de85d5f342342ad223e4" },
        { "int16_activations/logistic_int8_scale0.02_zp10", "5fb2ec406b0655c232dfeb59e6d2efe0bc980cd7c5894dd0fea2541e8c4b83ec" },
        { "int16_activations/tanh_int8_scale0.0625_zp0", "739a16ac6a5555c17d978d84634907b645a3a8d6210d47b0bc7458b6de5e738f" },
    };

    /// <summary>Generated models (tests/*Model.cs) and their .emm SHA-256.</summary>
    public static TheoryData<string, string> GeneratedHashes => new()
    {
        { "s16 seed 1 int64 bias", "fd67ccf538c2151665beec4ce36337fe01a53fe519ab2815cead1504b1616c60" },
        { "s16 seed 5 int32 bias", "78f27b6615051f2589c418ef1a7fe7a8ba415ab561bb572b9abedebeead9d315" },
        { "s16 seed 5 no bias softmax", "a93ff771e6888ca55e4fbf327403aa9d0b7ece3ef35e763c35990de0f93c042e" },
        { "svdf seed 1", "1a1a8d29ba711ca168d430c255d870627514eaa87a1bb72fa428d6b544c4424b" },
        { "svdf seed 2 int16 first layer", "c3f2280c90caab007c537cd9be405b6c750ddd1ff85e579ec96d911e09cf8b7d" },
    };

    [SkippableTheory]
    [MemberData(nameof(CorpusHashes))]
    public void Corpus_models_convert_to_the_same_bytes_as_before(string model, string sha256)
    {
        Assert.Equal(sha256, Hash(CorpusModels.Converted(model).Emm));
    }

    [Theory]
    [MemberData(nameof(GeneratedHashes))]
    public void Generated_models_convert_to_the_same_bytes_as_before(string model, string sha256)
    {
        Assert.Equal(sha256, Hash(ModelConverter.Convert(Generated(model), "m").Emm));
    }

    [Fact]
    public void The_shipped_default_model_converts_to_the_same_bytes_as_before()
    {
        string tflite = Path.Combine(Corpus.RepoRoot, "models", "yes_no.tflite");
        Assert.Equal("4236154f4cbf78755f28e2b3e6665a9cd625f7433845976162a1c317c6f36cd6", Hash(ModelConverter.Convert(File.ReadAllBytes(tflite), "yes_no").Emm));
    }

    private static byte[] Generated(string model) => model switch
    {
        "s16 seed 1 int64 bias" => S16Model.Create(1),
        "s16 seed 5 int32 bias" => S16Model.Create(5, S16Model.BiasKind.Int32),
        "s16 seed 5 no bias softmax" => S16Model.Create(5, S16Model.BiasKind.None, softmax: true),
        "svdf seed 1" => SvdfModel.Create(1).TfLite,
        "svdf seed 2 int16 first layer" => SvdfModel.Create(2, wideFirstLayer: true).TfLite,
        _ => throw new ArgumentException(model),
    };

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
