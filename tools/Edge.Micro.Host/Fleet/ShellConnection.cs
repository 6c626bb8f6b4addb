using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Ports;
using System.Text;

namespace Edge.Micro.Host.Fleet;

/// <summary>One answer of the device's shell: every line up to the closing OK / ERR (or the one JSON object).</summary>
public sealed record ShellReply(bool Ok, IReadOnlyList<string> Lines, string? Error)
{
    /// <summary>
    /// The value of a field: "name: value" in text mode, the member "name" of the answer in json mode (its last line,
    /// whatever half line a connection opened mid-line put before it); or null.
    /// </summary>
    public string? Field(string name)
    {
        if (Lines.Count > 0 && Lines[^1].StartsWith('{'))
        {
            using var json = System.Text.Json.JsonDocument.Parse(Lines[^1]);
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
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);
    private static int s_pings; // per process, not per connection: a late pong of an earlier connection never matches
    private readonly SerialPort _serial;
    private readonly BlockingCollection<string> _lines = new();
    private readonly Thread _reader;
    private Exception? _readError;
    private bool _inStep;

    private ShellConnection(SerialPort serial, string port)
    {
        _serial = serial;
        _reader = new Thread(ReadLines) { IsBackground = true, Name = "shell " + port };
        _reader.Start();
    }

    /// <summary>Called with each event line that arrives while a command waits for its answer.</summary>
    public Action<string>? EventReceived { get; set; }

    /// <summary>Opens <paramref name="port"/>; throws <see cref="IOException"/> with the port's name when it cannot.</summary>
    public static ShellConnection Open(string port, int baud = 115200)
    {
        if (!OperatingSystem.IsWindows() && !File.Exists(port))
        {
            throw new IOException($"cannot open {port}: no such device (is the board plugged in, or the simulator's --pty-link this path?)");
        }

        // No read timeout: System.IO.Ports on Linux can drop the bytes of a read whose timeout fires as they arrive
        // (its I/O loop reads into a request the timeout has just cancelled), so the reader thread blocks instead.
        var serial = new SerialPort(port, baud) { ReadTimeout = SerialPort.InfiniteTimeout };
        try
        {
            serial.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            serial.Dispose();
            throw new IOException($"cannot open {port}: {e.Message}", e);
        }

        return new ShellConnection(serial, port);
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
        if (_lines.IsCompleted)
        {
            throw Closed();
        }

        if (!_inStep)
        {
            Resynchronize(timeout);
        }

        Send(string.Concat(commands.Select(c => c + "\n")), timeout);
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
        string token = $"{Environment.ProcessId:x}-{Interlocked.Increment(ref s_pings)}";
        Send($"\nping {token}\n", timeout); // the newline ends a half line a timed-out write may have left
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            ShellReply reply = Collect("ping", timeout - clock.Elapsed); // a late answer, or ours
            if (IsPong(reply, token))
            {
                _inStep = true;
                return;
            }

            SkippedLines += reply.Lines.Count;
        }

        throw new TimeoutException($"no answer to 'ping' within {timeout.TotalSeconds:0} s");
    }

    // Our ping's answer, in text or json mode; a garbled json line is not.
    private static bool IsPong(ShellReply reply, string token)
    {
        try
        {
            return reply.Ok && reply.Field("pong") == token;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    // A write gets the same time as the answer (a busy device drains its input slowly); a write that times out
    // may have sent part of its text, so the next exchange first finds its place again.
    private void Send(string text, TimeSpan timeout)
    {
        try
        {
            _serial.WriteTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
            _serial.Write(text);
        }
        catch (TimeoutException)
        {
            _inStep = false;
            throw new TimeoutException($"could not send '{Shorten(text.Trim())}' within {timeout.TotalSeconds:0} s");
        }
    }

    private ShellReply Collect(string command, TimeSpan timeout)
    {
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (NextLine(timeout - clock.Elapsed) is not string line)
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

    /// <summary>
    /// Reads one line if one arrives within 200 ms, else null; throws <see cref="IOException"/> once the port is
    /// closed and every line it gave has been read.
    /// </summary>
    public string? TryReadLine() => NextLine(IdleWait);

    /// <inheritdoc />
    public void Dispose()
    {
        // Closing ends the reader's blocking read. After the device went away mid-write, System.IO.Ports' close can
        // wait for that write for ever: give it a few seconds, then leave it (a reconnect must not hang on it).
        Task.Run(_serial.Dispose).Wait(CloseWait);
        _reader.Join(CloseWait);
    }

    /// <summary>
    /// The lines read from the port but not yet taken, after <see cref="Dispose"/> (a caller that gives up on a
    /// connection forwards the events among them, so that reconnecting loses none).
    /// </summary>
    public IReadOnlyList<string> TakeUnread()
    {
        var unread = new List<string>();
        while (_lines.TryTake(out string? line))
        {
            unread.Add(line);
        }

        return unread;
    }

    private string? NextLine(TimeSpan wait)
    {
        if (_lines.TryTake(out string? line, wait < TimeSpan.Zero ? TimeSpan.Zero : wait))
        {
            return line;
        }

        return _lines.IsCompleted ? throw Closed() : null;
    }

    private IOException Closed() => new($"the device's console closed ({_readError?.Message ?? "end of stream"})", _readError);

    // The port's only reader: blocking reads, split into lines (LF, a CR before it dropped).
    private void ReadLines()
    {
        var buffer = new byte[4096];
        var pending = new MemoryStream();
        try
        {
            int n;
            while ((n = _serial.BaseStream.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        pending.WriteByte(buffer[i]);
                        continue;
                    }

                    _lines.Add(Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length).TrimEnd('\r'));
                    pending.SetLength(0);
                }
            }
        }
        catch (Exception e)
        {
            _readError = e; // whatever ended the port, the next read or exchange reports it (Closed)
        }
        finally
        {
            _lines.CompleteAdding();
        }
    }

    private static string JsonError(string line)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? line : line;
        }
        catch (System.Text.Json.JsonException)
        {
            return line; // a garbled refusal is still a refusal; its text is the reason
        }
    }

    private static string Shorten(string command) => command.Length > 40 ? command[..40] + "..." : command;
}
