using System.Diagnostics;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// TensorFlow Lite's own interpreter, the WASM build in the npm package @tensorflow/tfjs-tflite, run under Node
/// (tests/tflite-reference/run.js; scripts/test.sh installs it). Not TFLM, but its reference kernels share
/// TFLM's integer arithmetic: on micro_speech it reproduces the corpus's TFLM goldens byte for byte.
/// </summary>
public static class TfLiteReference
{
    private static string Folder => Path.Combine(Corpus.RepoRoot, "tests", "tflite-reference");

    /// <summary>Skips locally, fails under CI=true, when Node or the npm package is missing.</summary>
    public static void Require()
    {
        bool installed = File.Exists(Path.Combine(Folder, "node_modules", "@tensorflow", "tfjs-tflite", "wasm", "tflite_web_api_cc.wasm"));
        string? reason = !installed ? "tests/tflite-reference/node_modules missing (run scripts/test.sh, which runs npm ci there)"
            : FindNode() == null ? "node not found" : null;
        if (reason != null)
        {
            Assert.False(Corpus.InCi, reason + " (CI=true: a failure)");
            Skip.If(true, reason);
        }
    }

    /// <summary>Runs <paramref name="tflite"/> on each input in turn (one interpreter, so state carries over); returns output 0 of each.</summary>
    public static double[][] Run(byte[] tflite, IReadOnlyList<byte[]> inputs)
    {
        string dir = Directory.CreateTempSubdirectory("tflite-ref").FullName;
        try
        {
            string model = Path.Combine(dir, "model.tflite");
            File.WriteAllBytes(model, tflite);
            var args = new List<string> { Path.Combine(Folder, "run.js"), model };
            for (int i = 0; i < inputs.Count; i++)
            {
                string path = Path.Combine(dir, $"input{i}.bin");
                File.WriteAllBytes(path, inputs[i]);
                args.Add(path);
            }

            var start = new ProcessStartInfo(FindNode()!, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            using Process process = Process.Start(start)!;
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"TensorFlow Lite: {stdout.Trim()} {stderr.Trim()}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
                .ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists);
}
