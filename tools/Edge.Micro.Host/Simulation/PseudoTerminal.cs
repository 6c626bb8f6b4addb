using System.Diagnostics;

namespace Edge.Micro.Host.Simulation;

/// <summary>
/// A pseudo-terminal for the simulator's shell, made by socat (Debian package socat): socat creates the pty,
/// links it at <see cref="Path"/>, and relays it to this process's pipes. A serial client (edge-micro monitor,
/// screen, minicom) then opens <see cref="Path"/> as if it were the board's UART.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly Process _socat;

    private PseudoTerminal(Process socat, string path)
    {
        _socat = socat;
        Path = path;
        Port = new StreamShellPort(socat.StandardOutput.BaseStream, socat.StandardInput.BaseStream);
    }

    /// <summary>The device path clients open.</summary>
    public string Path { get; }

    /// <summary>The shell's end of the pty.</summary>
    public StreamShellPort Port { get; }

    /// <summary>Starts socat and waits until the pty link exists.</summary>
    public static PseudoTerminal Open(string path)
    {
        var start = new ProcessStartInfo("socat", ["-T0", $"PTY,raw,echo=0,link={path}", "STDIO"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process socat;
        try
        {
            socat = Process.Start(start) ?? throw new IOException("socat did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException("socat is needed for --console pty (Debian package socat; scripts/install-deps.sh installs it)", e);
        }

        var deadline = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (socat.HasExited || deadline.ElapsedMilliseconds > 5000)
            {
                throw new IOException($"socat could not create the pty at {path}: {socat.StandardError.ReadToEnd()}");
            }

            Thread.Sleep(20);
        }

        return new PseudoTerminal(socat, path);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_socat.HasExited)
        {
            _socat.Kill();
        }

        _socat.Dispose();
    }
}
