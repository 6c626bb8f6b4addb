using System.Xml.Linq;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Runtime.Tests;

/// <summary>Each portable firmware library's .nfproj lists exactly the .cs files its folder holds.</summary>
public class NfprojSourceTests
{
    [Theory]
    [MemberData(nameof(NanoFrameworkIlGuardTests.Assemblies), MemberType = typeof(NanoFrameworkIlGuardTests))]
    public void Nfproj_compile_items_match_the_sources(string library)
    {
        string dir = Path.Combine(Corpus.RepoRoot, "firmware", library);
        string nfproj = Path.Combine(dir, library + ".nfproj");
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        var listed = XDocument.Load(nfproj).Descendants(ns + "Compile")
            .Select(e => e.Attribute("Include")!.Value.Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(dir, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("bin/") && !p.StartsWith("obj/"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(listed.SequenceEqual(actual),
            $"{library}.nfproj is out of date.\n missing: {string.Join(", ", actual.Except(listed))}\n stale: {string.Join(", ", listed.Except(actual))}");
    }
}
