using System.Diagnostics;
using Edge.Micro.Host.Audio;
using Edge.Micro.TestSupport;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// N simulated devices as a user runs them: `edge-micro simulate` processes, each on its own socat pty with its own
/// store folder, playing a 4-second loop with "yes" at 0.5 s and "no" at 2.5 s (the corpus's clips) in real time.
/// The built-in model is micro_speech.
/// </summary>
public sealed class SimulatedFleet : IDisposable
{
    /// <summary>Length of the recording the devices loop.</summary>
    public const int LoopMs = 4000;

    private readonly string _folder = Directory.CreateTempSubdirectory("edge-micro-fleet").FullName;
    private readonly Dictionary<string, Process> _processes = new();

    public SimulatedFleet(int count)
    {
        Skip.If(!File.Exists("/usr/bin/socat") && !Corpus.InCi, "socat is not installed (scripts/install-deps.sh)");
        string wav = Path.Combine(_folder, "yes-no-loop.wav");
        var samples = new short[LoopMs * 16];
        WavReader.Read(Corpus.PathOf("wav", "yes_1000ms.wav")).Samples.CopyTo(samples, 8000);
        WavReader.Read(Corpus.PathOf("wav", "no_1000ms.wav")).Samples.CopyTo(samples, 40000);
        WavWriter.Write(wav, samples, 16000);
        string cli = Path.Combine(AppContext.BaseDirectory, "edge-micro.dll");
        string model = Corpus.PathOf("models", "micro_speech_quantized.tflite");
        for (int i = 1; i <= count; i++)
        {
            string id = $"dev{i:D2}", link = Path.Combine(_folder, id + ".pty");
            Ports[id] = link;
            _processes.Add(id, Process.Start(new ProcessStartInfo("dotnet", [cli, "simulate", "--model", model, "--wav", wav, "--realtime", "--loop",
                "--console", "pty", "--pty-link", link, "--store", Path.Combine(_folder, id + ".flash")])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            })!);
        }

        var clock = Stopwatch.StartNew();
        while (!Ports.Values.All(File.Exists))
        {
            Assert.True(clock.Elapsed.TotalSeconds < 60, "the simulators did not all open their ptys within 60 s");
            Assert.DoesNotContain(_processes.Values, p => p.HasExited);
            Thread.Sleep(100);
        }
    }

    /// <summary>Device id -> the pty of its console.</summary>
    public Dictionary<string, string> Ports { get; } = new();

    /// <summary>Ids of the devices, in order.</summary>
    public IReadOnlyList<string> Ids => Ports.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Freezes a device's process (SIGSTOP): it reads nothing and answers nothing, as a hung board.</summary>
    public void Pause(string id) => Signal(_processes[id], "STOP");

    /// <summary>Lets a paused device run again (SIGCONT): it then answers everything it was sent meanwhile.</summary>
    public void Resume(string id) => Signal(_processes[id], "CONT");

    private static void Signal(Process p, string signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", p.Id.ToString()]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        foreach (Process p in _processes.Values.Where(p => !p.HasExited))
        {
            Signal(p, "CONT");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
