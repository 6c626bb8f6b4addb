using System.Diagnostics;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Cli.Tests;

/// <summary>
/// Model update end to end with real processes: the simulator on a socat pty with a store folder for its flash,
/// `push-model` as a user runs it, the simulator killed in the middle of a transfer and started again (it runs its
/// old model, and the push resumes), then a reset after the commit (it runs the new model).
/// </summary>
public sealed class PushModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-micro-push").FullName;
    private readonly string _cli = Path.Combine(AppContext.BaseDirectory, "edge-micro.dll");
    private readonly string _link = $"/tmp/edge-micro-push-{Environment.ProcessId}";

    public void Dispose()
    {
        File.Delete(_link);
        Directory.Delete(_dir, recursive: true);
    }

    private Process StartSimulator()
    {
        File.Delete(_link); // a killed simulator's socat leaves its link behind
        var start = new ProcessStartInfo("dotnet", [_cli, "simulate", "--model", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"),
            "--wav", Corpus.PathOf("wav", "silence_1000ms.wav"), "--realtime", "--loop", "--console", "pty", "--pty-link", _link,
            "--store", Path.Combine(_dir, "flash")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process simulator = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        while (!File.Exists(_link))
        {
            Assert.False(simulator.HasExited, "simulator exited: " + (simulator.HasExited ? simulator.StandardError.ReadToEnd() : ""));
            Assert.True(clock.Elapsed.TotalSeconds < 30, "no pty after 30 s");
            Thread.Sleep(50);
        }

        return simulator;
    }

    private static void Stop(Process simulator)
    {
        simulator.Kill(entireProcessTree: true);
        simulator.WaitForExit();
    }

    private (int ExitCode, string Output) Cli(params string[] args)
    {
        var run = Process.Start(new ProcessStartInfo("dotnet", [_cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        Task<string> stdout = run.StandardOutput.ReadToEndAsync(), stderr = run.StandardError.ReadToEndAsync();
        Assert.True(run.WaitForExit(120_000), $"{args[0]} did not finish");
        return (run.ExitCode, stdout.Result + stderr.Result);
    }

    private string Info() => Cli("monitor", "--port", _link, "--exec", "info").Output;

    [SkippableFact]
    public void A_push_cut_by_killing_the_simulator_resumes_after_restart_and_the_new_model_survives_a_reset()
    {
        Skip.If(!File.Exists("/usr/bin/socat") && !Corpus.InCi, "socat is not installed (scripts/install-deps.sh)");
        Assert.Equal(0, Cli("convert", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "-o", _dir, "--frontend", "micro").ExitCode);
        string model = Path.Combine(_dir, "micro_speech_quantized.emm");

        Process simulator = StartSimulator();
        try
        {
            Assert.Contains("model: yes_no", Info());

            // Kill the simulator while push-model is sending (about a third of the way).
            var push = Process.Start(new ProcessStartInfo("dotnet", [_cli, "push-model", model, "--port", _link, "--timeout", "3"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            string? line;
            while ((line = push.StandardOutput.ReadLine()) != null && !line.StartsWith("sent") | !line.Contains("(3"))
            {
            }

            Assert.NotNull(line);
            Stop(simulator);
            Assert.True(push.WaitForExit(60_000));
            Assert.NotEqual(0, push.ExitCode);

            // Restarted, it runs its old model; the push resumes where it stopped and the device switches.
            simulator = StartSimulator();
            Assert.Contains("model: yes_no", Info());
            var (code, output) = Cli("push-model", model, "--port", _link);
            Assert.True(code == 0, output);
            Assert.Contains("resuming", output);
            Assert.Contains("the device runs micro_speech_quantized", output);
            Assert.Contains("self-test passed", output);

            // Reset: the new model runs from its slot.
            Stop(simulator);
            simulator = StartSimulator();
            string info = Info();
            Assert.Contains("model: micro_speech_quantized", info);
            Assert.Contains("modelSlot: 0", info);

            // A file that is not a model never reaches the device.
            File.WriteAllText(Path.Combine(_dir, "notes.emm"), "not a model");
            var refused = Cli("push-model", Path.Combine(_dir, "notes.emm"), "--port", _link);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("not an .emm model", refused.Output);
            Assert.Contains("model: micro_speech_quantized", Info());
        }
        finally
        {
            if (!simulator.HasExited)
            {
                Stop(simulator);
            }
        }
    }
}
