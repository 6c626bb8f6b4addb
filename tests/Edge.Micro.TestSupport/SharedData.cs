using Xunit;

namespace Edge.Micro.TestSupport;

/// <summary>
/// Read-only data shared beside the clone in ../shared (never copied into the repository): the reference corpus,
/// the real-speech set and nanoFramework's facts. Each folder can be moved with an environment variable. A test
/// that needs one calls <see cref="Require"/>: without it the test is skipped on a developer machine and fails
/// under CI=true.
/// </summary>
public static class SharedData
{
    /// <summary>The folder, or null when it (or its marker file) cannot be found.</summary>
    /// <param name="folder">The folder's name under ../shared.</param>
    /// <param name="environmentVariable">The variable that overrides the location.</param>
    /// <param name="marker">A file that must exist in the folder.</param>
    public static string? TryFind(string folder, string environmentVariable, string marker)
    {
        string? env = Environment.GetEnvironmentVariable(environmentVariable);
        string path = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(Corpus.RepoRoot, "..", "shared", folder));
        return File.Exists(Path.Combine(path, marker)) ? path : null;
    }

    /// <summary>The folder; skips the test locally and fails it in CI when it is missing.</summary>
    public static string Require(string folder, string environmentVariable, string marker)
    {
        string? root = TryFind(folder, environmentVariable, marker);
        if (root != null)
        {
            return root;
        }

        string message = $"shared data not found: expected ../shared/{folder} beside the repository or {environmentVariable}";
        if (Corpus.InCi)
        {
            throw new InvalidOperationException(message + " (CI=true: missing shared data is a failure)");
        }

        Skip.If(true, message);
        return "";
    }

    /// <summary>nanoFramework's own facts (../shared/nanoframework or EDGE_MICRO_NANOFRAMEWORK).</summary>
    public static string NanoFramework() => Require("nanoframework", "EDGE_MICRO_NANOFRAMEWORK", "interop-checksums.md");

    /// <summary>Real human recordings (../shared/realspeech or EDGE_MICRO_REALSPEECH).</summary>
    public static string RealSpeech() => Require("realspeech", "EDGE_MICRO_REALSPEECH", "split.tsv");
}
