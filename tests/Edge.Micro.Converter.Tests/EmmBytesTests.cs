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
        { "micro_speech", "f7b4b088b38990904e67ccf22b62c67ac428b7d8876f42496b6f561a0fbefcf7" },
        { "ds_cnn_s", "dc878deb96edffa1145ba2c5421f6c0875194abb227031a57d0e4419b63c641d" },
        { "multi_io/add2_conv", "4858e5e7bd0e08ccf22c6404766d66894eda627c594724c2db0222388269e1e4" },
        { "multi_io/fc_two_heads", "5828e0c7c98547532efaa4d980632c1b58bb0e5f605c218a5fc6f6bc2916d774" },
        { "softmax_int16_out/fc_softmax16_quantize", "7e65a4d18fce4e1fef847f11fa8dadd54e5543edbf91d5763bc9693f324a9cd3" },
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
        { "s16 seed 1 int64 bias", "733579a0d296d53d540e52fcbae353acf5039e0b86c16b54ee524f351e1f0f7f" },
        { "s16 seed 5 int32 bias", "b6354422879d041a7116f7a6fe2de797cf1b048938b43dc87703a227b37de562" },
        { "s16 seed 5 no bias softmax", "9a3eabd8c6fab1c6821611dbfc33d444e30a99db8a1e47bacace80dbce97d728" },
        { "svdf seed 1", "e028e28a3ec1e63ab6e9292ff1a7adaf63640bbbd569c68bca722be478c3e043" },
        { "svdf seed 2 int16 first layer", "49d859845b35d75dda6ed24391d3f1b74dc379a716a70e29646a0ba3e20f3e6d" },
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
        Assert.Equal("46bdfd3a1273cb8112f8e0ed1a7b3e6de26e98fb89fba452f5bc6ba4280666a6", Hash(ModelConverter.Convert(File.ReadAllBytes(tflite), "yes_no").Emm));
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
