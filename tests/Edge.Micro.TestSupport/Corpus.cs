using Xunit;

namespace Edge.Micro.TestSupport;

/// <summary>
/// The reference corpus (real models, clips and TFLM goldens) lives outside the repository, in
/// ../shared/corpus beside the clone, or wherever EDGE_MICRO_CORPUS points. Tests that need it call
/// <see cref="Require"/>: without the corpus they are skipped on a developer machine and fail under CI=true.
/// </summary>
public static class Corpus
{
    /// <summary>The repository root (the folder holding nf.proj).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The corpus folder, or null when it cannot be found.</summary>
    public static string? TryRoot() => SharedData.TryFind("corpus", "EDGE_MICRO_CORPUS", "MANIFEST.md");

    /// <summary>True when running in CI (CI=true).</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The corpus folder; skips the test locally and fails it in CI when the corpus is missing.</summary>
    public static string Require() => SharedData.Require("corpus", "EDGE_MICRO_CORPUS", "MANIFEST.md");

    /// <summary>A path inside the corpus.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Require(), .. parts]);

    private static string FindRepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "nf.proj")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("repository root (nf.proj) not found above " + AppContext.BaseDirectory);
    }
}
