using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// The native suite (ctest) hammers the loader with mutations of an SVDF, a 16x8 and an int16-activation model;
/// no small corpus model has those ops, so the project's own test models are converted here and checked in under interop/tests/models.
/// This test fails when the checked-in files are stale; EDGE_MICRO_UPDATE_FIXTURES=1 rewrites them.
/// </summary>
public class NativeFixtureTests
{
    public static TheoryData<string> Fixtures() => new("svdf_test", "s16_test", "activation_s16_test");

    /// <summary>The .emm bytes a fixture must hold.</summary>
    public static byte[] Expected(string name) => name switch
    {
        "svdf_test" => ModelConverter.Convert(SvdfModel.Create(3).TfLite, name).Emm,
        "s16_test" => ModelConverter.Convert(S16Model.Create(3, S16Model.BiasKind.Int64, softmax: true), name).Emm,
        _ => ModelConverter.Convert(ActivationS16Model.Create(), name).Emm,
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_checked_in_native_test_model_is_the_current_conversion(string name)
    {
        string path = Path.Combine(Corpus.RepoRoot, "interop", "tests", "models", name + ".emm");
        byte[] expected = Expected(name);
        if (Environment.GetEnvironmentVariable("EDGE_MICRO_UPDATE_FIXTURES") == "1")
        {
            File.WriteAllBytes(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run this test with EDGE_MICRO_UPDATE_FIXTURES=1");
        Assert.True(expected.SequenceEqual(File.ReadAllBytes(path)), $"{path} is stale: run this test with EDGE_MICRO_UPDATE_FIXTURES=1");
    }
}
