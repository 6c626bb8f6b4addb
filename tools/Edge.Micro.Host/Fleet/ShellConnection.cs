using System.Diagnostics;
using System.IO.Ports;

namespace Edge.Micro.Host.Fleet;

/// <summary>One answer of the device's shell: every line up to the closing OK / ERR (or the one JSON object).</summary>
public sealed record ShellReply(bool Ok, IReadOnlyList<string> Lines, string? Error)
{
    /// <summary>The value of a text-mode field ("name: value"), or null.</summary>
    public string? Field(string name) =>
        Lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal)) is string line ? line[(name.Length + 2)..] : null;
}

/// <summary>
/// A client of the device's line-based diagnostics shell (docs/console.md) over a serial port or the simulator's
/// pty: sends a command, collects the reply, and hands unsolicited event lines (detections) to <see cref="EventReceived"/>.
/// </summary>
public sealed class ShellConnection : IDisposable
{
    private readonly SerialPort _serial;

    private ShellConnection(SerialPort serial) => _serial = serial;

    /// <summary>Called with each event line that arrives while a command waits for its answer.</summary>
    public Action<string>? EventReceived { get; set; }

    /// <summary>Opens <paramref name="port"/>; throws <see cref="IOException"/> with the port's name when it cannot.</summary>
    public static ShellConnection Open(string port, int baud = 115200)
    {
        var serial = new SerialPort(port, baud) { NewLine = "\n", ReadTimeout = 200, WriteTimeout = 2000 };
        try
        {
            serial.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            serial.Dispose();
            throw new IOException($"cannot open {port}: {e.Message}", e);
        }

        return new ShellConnection(serial);
    }

    /// <summary>True for a line the device sends on its own (a detection or a warning), not part of a reply.</summary>
    public static bool IsEvent(string line) => line.StartsWith("EVT ", StringComparison.Ordinal) || line.StartsWith("WARN ", StringComparison.Ordinal)
        || line.StartsWith("{\"event\"", StringComparison.Ordinal);

    /// <summary>Sends one command and waits for its answer; throws <see cref="TimeoutException"/> if none comes in time.</summary>
    public ShellReply Exchange(string command, TimeSpan timeout)
    {
        _serial.Write(command + "\n");
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            string line;
            try
            {
                line = _serial.ReadLine().TrimEnd('\r');
            }
            catch (TimeoutException)
            {
                continue;
            }

            if (IsEvent(line))
            {
                EventReceived?.Invoke(line);
                continue;
            }

            lines.Add(line);
            if (line == "OK" || line.StartsWith("{\"ok\":true", StringComparison.Ordinal))
            {
                return new ShellReply(true, lines, null);
            }

            if (line.StartsWith("ERR", StringComparison.Ordinal) || line.StartsWith("{\"ok\":false", StringComparison.Ordinal))
            {
                return new ShellReply(false, lines, line.StartsWith("ERR ", StringComparison.Ordinal) ? line[4..] : line);
            }
        }

        throw new TimeoutException($"no answer to '{Shorten(command)}' within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Reads one line if one arrives within the port's read timeout, else null.</summary>
    public string? TryReadLine()
    {
        try
        {
            return _serial.ReadLine().TrimEnd('\r');
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _serial.Dispose();

    private static string Shorten(string command) => command.Length > 40 ? command[..40] + "..." : command;
}
