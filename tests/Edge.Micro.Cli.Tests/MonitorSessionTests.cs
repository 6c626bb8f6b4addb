using System.Diagnostics;
using Edge.Micro.TestSupport;
using NAudio.Wave;

namespace Edge.Micro.Cli.Tests;

/// <summary>
/// The scripted session of the device issue, end to end: the simulator on a pseudo-terminal made by socat,
/// `monitor --exec` running info, selftest, bench 10, threshold yes 180 and stats, and a recording with two
/// keywords producing exactly two detection events on the shell's log.
/// </summary>
public class MonitorSessionTests
{
    private static short[] Clip(string name)
    {
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", name + ".wav"));
        return Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BitConverter.ToInt16(wav, 44 + 2 * i)).ToArray();
    }

    private static string TwoKeywordRecording()
    {
        // 12 s of the corpus background with "yes" at 5 s and at 9 s.
        short[] background = Clip("silence_1000ms");
        var samples = new short[12 * 16000];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = background[i % background.Length];
        }

        Clip("yes_1000ms").CopyTo(samples, 5 * 16000);
        Clip("yes_1000ms").CopyTo(samples, 9 * 16000);
        string path = Path.Combine(Directory.CreateTempSubdirectory("edge-micro-session").FullName, "two-yes.wav");
        using var writer = new WaveFileWriter(path, new WaveFormat(16000, 16, 1));
        var bytes = new byte[samples.Length * 2];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
        writer.Write(bytes, 0, bytes.Length);
        return path;
    }

    [SkippableFact]
    public void Scripted_session_over_a_socat_pty_and_two_detection_events()
    {
        string model = Corpus.PathOf("models", "micro_speech_quantized.tflite");
        Skip.If(!File.Exists("/usr/bin/socat") && !Corpus.InCi, "socat is not installed (scripts/install-deps.sh)");
        string wav = TwoKeywordRecording();
        string link = $"/tmp/edge-micro-test-{Environment.ProcessId}";
        string cli = Path.Combine(AppContext.BaseDirectory, "edge-micro.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "simulate", "--model", model, "--wav", wav, "--realtime", "--console", "pty", "--pty-link", link])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process simulator = Process.Start(start)!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(link))
            {
                if (simulator.HasExited)
                {
                    Assert.Fail("simulator exited: " + simulator.StandardError.ReadToEnd());
                }

                Assert.True(clock.Elapsed.TotalSeconds < 30, "no pty after 30 s");
                Thread.Sleep(50);
            }

            // The monitor runs as a user runs it: a separate process on the pty, then listens for the events.
            var monitorStart = new ProcessStartInfo("dotnet", [cli, "monitor", "--port", link, "--exec", "log on", "--exec", "info", "--exec", "selftest",
                "--exec", "bench 10", "--exec", "threshold yes 180", "--exec", "stats", "--listen", "14"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process monitor = Process.Start(monitorStart)!;
            Task<string> stdout = monitor.StandardOutput.ReadToEndAsync();
            Task<string> stderr = monitor.StandardError.ReadToEndAsync();
            Assert.True(monitor.WaitForExit(60_000), "monitor did not finish");
            string output = stdout.Result;
            Assert.True(monitor.ExitCode == 0, output + stderr.Result);
            Assert.Contains("model: micro_speech_quantized", output);
            Assert.Contains("arenaBytes: 5960", output);
            Assert.Contains("selftest: pass", output);
            Assert.Contains("inferences: 10", output);
            Assert.Contains("1 DEPTHWISE_CONV_2D min=", output);
            Assert.Contains("yes: 180", output);
            Assert.Contains("budgetOverruns: 0", output);
            var events = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("EVT ")).ToList();
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.StartsWith("EVT yes ", e));
        }
        finally
        {
            if (!simulator.HasExited)
            {
                simulator.Kill(entireProcessTree: true);
            }
        }
    }
}
