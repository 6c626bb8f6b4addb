using Edge.Micro.Runtime.Tests.IlGuard;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Runtime.Tests;

/// <summary>The nanoFramework build of every firmware assembly must contain nothing nanoFramework 1.x cannot run.</summary>
public class NanoFrameworkIlGuardTests
{
    /// <summary>Firmware assemblies built by `dotnet build nf.proj`.</summary>
    public static readonly string[] FirmwareAssemblies = ["Edge.Micro.Runtime", "Edge.Micro.Audio", "Edge.Micro.Device", "Edge.Micro.Interop"];

    private static string NanoBuildOf(string assembly) =>
        Path.Combine(Corpus.RepoRoot, "firmware", assembly, "bin", "nano", "Release", "netstandard2.0", assembly + ".dll");

    private static NanoIlGuard CreateGuard()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string mscorlib = Path.Combine(packages, "nanoframework.corelibrary", "1.17.11", "lib", "mscorlib.dll");
        Assert.True(File.Exists(mscorlib), $"nanoFramework's mscorlib not found at {mscorlib}: run `dotnet build nf.proj` (it restores nanoFramework.CoreLibrary)");
        return new NanoIlGuard(mscorlib, FirmwareAssemblies);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Firmware_assembly_uses_nothing_nanoFramework_cannot_run(string assembly)
    {
        string path = NanoBuildOf(assembly);
        Assert.True(File.Exists(path), $"{path} is missing: run `dotnet build nf.proj` before the tests (.ci/run does)");
        IReadOnlyList<string> findings = CreateGuard().Check(path);
        Assert.True(findings.Count == 0, "nanoFramework cannot run:\n" + string.Join("\n", findings));
    }

    public static TheoryData<string> Assemblies() => new(FirmwareAssemblies);

    [Fact]
    public void Guard_names_generic_multidimensional_and_stackalloc_methods()
    {
        IReadOnlyList<string> findings = CreateGuard().Check(typeof(GuardFixtures).Assembly.Location);
        string fixtures = typeof(GuardFixtures).FullName!;
        Assert.Contains(findings, f => f.StartsWith(fixtures + ".GenericMethod: is a generic method definition"));
        Assert.Contains(findings, f => f.StartsWith(fixtures + ".MultidimensionalArray: uses a multidimensional array"));
        Assert.Contains(findings, f => f.StartsWith(fixtures + ".StackAlloc: uses localloc"));
        Assert.Contains(findings, f => f.Contains("references assembly 'System.Runtime'"));
    }
}
