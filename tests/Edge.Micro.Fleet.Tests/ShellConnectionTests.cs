using Edge.Micro.Host.Fleet;
using Edge.Micro.Host.Simulation;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Fleet.Tests;

/// <summary>The console client's line reading over a real pty (socat), without a device behind it.</summary>
public class ShellConnectionTests
{
    private static void Send(PseudoTerminal pty, string text)
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);
        pty.Port.Write(bytes, 0, bytes.Length);
    }

    // The next line, however loaded the machine (TryReadLine waits 200 ms each time).
    private static string? NextLine(ShellConnection console)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? line = null;
        while (line == null && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            line = console.TryReadLine();
        }

        return line;
    }

    [SkippableFact]
    public void Lines_arrive_whole_across_writes_and_a_closed_console_ends_reads_and_exchanges_with_an_io_error()
    {
        Skip.If(!File.Exists("/usr/bin/socat") && !Corpus.InCi, "socat is not installed (scripts/install-deps.sh)");
        string link = Path.Combine(Path.GetTempPath(), $"edge-micro-shell-{Environment.ProcessId}");
        var pty = PseudoTerminal.Open(link);
        using ShellConnection console = ShellConnection.Open(link);

        Send(pty, "EVT yes 210 1000\r\nEVT no 190 2000\nhalf");
        Assert.Equal("EVT yes 210 1000", NextLine(console));
        Assert.Equal("EVT no 190 2000", NextLine(console));
        Assert.Null(console.TryReadLine()); // half a line waits for its end
        Send(pty, " a line\n");
        Assert.Equal("half a line", NextLine(console));

        pty.Dispose();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IOException closed = Assert.Throws<IOException>(() =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                console.TryReadLine();
            }
        });
        Assert.Contains("console closed", closed.Message);
        Assert.Contains("console closed", Assert.Throws<IOException>(() => console.Exchange("stats", TimeSpan.FromSeconds(1))).Message);
    }

    [SkippableFact]
    public void Lines_read_but_not_taken_are_given_back_after_the_connection_is_closed()
    {
        Skip.If(!File.Exists("/usr/bin/socat") && !Corpus.InCi, "socat is not installed (scripts/install-deps.sh)");
        string link = Path.Combine(Path.GetTempPath(), $"edge-micro-unread-{Environment.ProcessId}");
        using var pty = PseudoTerminal.Open(link);
        var console = ShellConnection.Open(link);

        Send(pty, "EVT yes 210 1000\nEVT no 190 2000\n"); // one write: both lines are read together
        Assert.Equal("EVT yes 210 1000", NextLine(console));
        console.Dispose();
        Assert.Equal(["EVT no 190 2000"], console.TakeUnread());
        Assert.Empty(console.TakeUnread());
    }
}
