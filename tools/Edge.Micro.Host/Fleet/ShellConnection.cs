using System.Diagnostics;
using System.IO.Ports;

namespace Edge.Micro.Host.Fleet;

/// <summary>One answer of the device's shell: every line up to the closing OK / ERR (or the one JSON object).</summary>
public sealed record ShellReply(bool Ok, IReadOnlyList<string> Lines, string? Error)
{
    /// <summary>The value of a field: "name: value" in text mode, the member "name" of the answer in json mode; or null.</summary>
    public string? Field(string name)
    {
        if (Lines.Count == 1 && Lines[0].StartsWith('{'))
        {
            using var json = System.Text.Json.JsonDocument.Parse(Lines[0]);
            return json.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }

        return Lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal)) is string line ? line[(name.Length + 2)..] : null;
    }
}

/// <summary>
/// A client of the device's line-based diagnostics shell (docs/console.md) over a serial port or the simulator's
/// pty: sends a command, collects the reply, and hands unsolicited event lines (detections) to <see cref="EventReceived"/>.
/// </summary>
public sealed class ShellConnection : IDisposable
{
    private const string PongPrefix = "pong: ";
    private readonly SerialPort _serial;
    private bool _inStep;
    private int _pings;

    private ShellConnection(SerialPort serial) => _serial = serial;

    /// <summary>Called with each event line that arrives while a command waits for its answer.</summary>
    public Action<string>? EventReceived { get; set; }

    /// <summary>Opens <paramref name="port"/>; throws <see cref="IOException"/> with the port's name when it cannot.</summary>
    public static ShellConnection Open(string port, int baud = 115200)
    {
        if (!OperatingSystem.IsWindows() && !File.Exists(port))
        {
            throw new IOException($"cannot open {port}: no such device (is the board plugged in, or the simulator's --pty-link this path?)");
        }

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

    /// <summary>Lines of earlier answers skipped while finding the device's answers again (late answers after timeouts).</summary>
    public int SkippedLines { get; private set; }

    /// <summary>True for a line the device sends on its own (a detection or a warning), not part of a reply.</summary>
    public static bool IsEvent(string line) => line.StartsWith("EVT ", StringComparison.Ordinal) || line.StartsWith("WARN ", StringComparison.Ordinal)
        || line.StartsWith("{\"event\"", StringComparison.Ordinal);

    /// <summary>Sends one command and waits for its answer; throws <see cref="TimeoutException"/> if none comes in time.</summary>
    public ShellReply Exchange(string command, TimeSpan timeout) => ExchangeAll([command], timeout)[0];

    /// <summary>
    /// Sends several commands in one write and collects their answers in order. The device answers lines that
    /// arrive together in one turn of its loop, with no audio processed in between: the commands act at one instant.
    /// On a new connection and after a timeout the connection first finds where the device's answers resume
    /// (<c>ping</c>, docs/console.md), so a late answer to a command given up on is never taken for another's.
    /// </summary>
    public IReadOnlyList<ShellReply> ExchangeAll(IReadOnlyList<string> commands, TimeSpan timeout)
    {
        if (!_inStep)
        {
            Resynchronize(timeout);
        }

        _serial.Write(string.Concat(commands.Select(c => c + "\n")));
        var replies = new List<ShellReply>();
        foreach (string command in commands)
        {
            replies.Add(Collect(command, timeout));
        }

        return replies;
    }

    /// <summary>
    /// Sends <c>ping</c> with a token not used before and skips every line up to its answer (events still go to
    /// <see cref="EventReceived"/>); the skipped answers are counted in <see cref="SkippedLines"/>.
    /// </summary>
    private void Resynchronize(TimeSpan timeout)
    {
        string token = $"{Environment.ProcessId:x}-{++_pings}";
        _serial.Write($"ping {token}\n");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (TryReadLine() is not string line)
            {
                continue;
            }

            if (IsEvent(line))
            {
                EventReceived?.Invoke(line);
            }
            else if (line == PongPrefix + token)
            {
                Collect("ping", timeout - clock.Elapsed); // text mode: the OK that ends the answer
                _inStep = true;
                return;
            }
            else if (IsJsonPong(line, token))
            {
                _inStep = true;
                return;
            }
            else
            {
                SkippedLines++;
            }
        }

        throw new TimeoutException($"no answer to 'ping' within {timeout.TotalSeconds:0} s");
    }

    private ShellReply Collect(string command, TimeSpan timeout)
    {
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (TryReadLine() is not string line)
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
                return new ShellReply(false, lines, line.StartsWith("ERR ", StringComparison.Ordinal) ? line[4..] : JsonError(line));
            }
        }

        _inStep = false;
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

    private static bool IsJsonPong(string line, string token)
    {
        if (!line.StartsWith("{\"ok\":true,\"cmd\":\"ping\"", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty("pong", out var pong) && pong.GetString() == token;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string JsonError(string line)
    {
        using var json = System.Text.Json.JsonDocument.Parse(line);
        return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? line : line;
    }

    private static string Shorten(string command) => command.Length > 40 ? command[..40] + "..." : command;
}
