using System.Text.RegularExpressions;
using System.Xml.Linq;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Runtime.Tests;

/// <summary>
/// The projects only the nanoFramework toolchain builds (the ESP32 app, the on-device tests) reference every
/// package they use, restore what they reference, and are named as nanoFramework's tools expect.
/// </summary>
public class BoardProjectTests
{
    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    public static TheoryData<string> BoardProjects() => new()
    {
        "firmware/Edge.Micro.Esp32/Edge.Micro.Esp32.nfproj",
        "tests/Edge.Micro.DeviceTests/Edge.Micro.DeviceTests.nfproj",
    };

    [Theory]
    [MemberData(nameof(BoardProjects))]
    public void Every_referenced_package_is_restored_at_the_same_version_and_every_restored_one_is_referenced(string project)
    {
        string path = Path.Combine(Corpus.RepoRoot, project);
        var referenced = XDocument.Load(path).Descendants(MsBuild + "HintPath")
            .Select(h => Regex.Match(h.Value, @"packages\\(nanoFramework\.[A-Za-z0-9.]+?)\.(\d+\.\d+\.\d+)\\"))
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}")
            .ToHashSet();
        var restored = XDocument.Load(Path.Combine(Path.GetDirectoryName(path)!, "packages.config")).Descendants("package")
            .Select(p => $"{p.Attribute("id")!.Value} {p.Attribute("version")!.Value}")
            .ToHashSet();

        Assert.True(referenced.SetEquals(restored),
            $"{project}: referenced but not in packages.config: {string.Join(", ", referenced.Except(restored))}; " +
            $"in packages.config but not referenced: {string.Join(", ", restored.Except(referenced))}");
    }

    [Theory]
    [MemberData(nameof(BoardProjects))]
    public void A_project_that_reads_its_resources_references_the_resource_manager(string project)
    {
        string path = Path.Combine(Corpus.RepoRoot, project);
        bool readsResources = Directory.GetFiles(Path.GetDirectoryName(path)!, "*.cs", SearchOption.AllDirectories)
            .Any(f => File.ReadAllText(f) is string text && (text.Contains("Resources.GetBytes(") || text.Contains("ResourceUtility.GetObject(")));
        bool references = XDocument.Load(path).Descendants(MsBuild + "Reference")
            .Any(r => r.Attribute("Include")!.Value == "nanoFramework.ResourceManager");

        Assert.True(!readsResources || references, $"{project} reads its resources (Resources.GetBytes, ResourceUtility.GetObject) but does not reference nanoFramework.ResourceManager (mscorlib lacks ResourceManager)");
    }

    [Fact]
    public void The_device_test_assembly_has_the_name_the_test_launcher_loads()
    {
        string path = Path.Combine(Corpus.RepoRoot, "tests/Edge.Micro.DeviceTests/Edge.Micro.DeviceTests.nfproj");
        Assert.Equal("NFUnitTest", XDocument.Load(path).Descendants(MsBuild + "AssemblyName").Single().Value);
    }
}
