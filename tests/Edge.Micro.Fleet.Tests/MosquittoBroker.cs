using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// A real Mosquitto (Debian's package, installed by scripts/install-deps.sh) on a free loopback port, with persistence
/// in its own folder so that a restart keeps the persistent sessions and their queued messages. Skips locally and
/// fails under CI=true when mosquitto is missing.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-micro-mosquitto").FullName;
    private Process? _process;

    public MosquittoBroker()
    {
        if (!File.Exists(Executable))
        {
            Assert.False(Corpus.InCi, "mosquitto is not installed: scripts/install-deps.sh installs it (CI=true: a failure)");
            Skip.If(true, "mosquitto is not installed (scripts/install-deps.sh)");
        }

        // Started as root, mosquitto drops to its own user: the folder must be writable for it, or it cannot save its
        // sessions on SIGTERM ("Error saving in-memory database") and a restart loses every queued message.
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        Port = FreePort();
        File.WriteAllText(Path.Combine(_folder, "mosquitto.conf"), $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {_folder}/
            max_queued_messages 100000
            """);
        Start();
    }

    /// <summary>The broker's loopback port.</summary>
    public int Port { get; }

    /// <summary>What the broker logged.</summary>
    public string Log => File.Exists(Path.Combine(_folder, "log")) ? File.ReadAllText(Path.Combine(_folder, "log")) : "";

    /// <summary>Starts the broker and waits until it accepts connections.</summary>
    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"exec {Executable} -c {_folder}/mosquitto.conf >> {_folder}/log 2>&1"]) { UseShellExecute = false })!;
        var clock = Stopwatch.StartNew();
        while (!Accepts())
        {
            Assert.False(_process.HasExited, "mosquitto exited: " + Log);
            Assert.True(clock.Elapsed.TotalSeconds < 10, "mosquitto did not open its port: " + Log);
            Thread.Sleep(50);
        }
    }

    /// <summary>Stops the broker as a service manager does (SIGTERM: it saves its sessions and queued messages).</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
            Assert.True(_process.WaitForExit(10_000), "mosquitto did not stop");
            Assert.False(Log.Contains("Error saving"), "mosquitto could not save its sessions: " + Log);
        }
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback port nothing listens on.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
