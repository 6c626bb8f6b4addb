using System.Diagnostics;

namespace Edge.Micro.Cli;

/// <summary>
/// Progress of long work on stderr: a redrawn bar on a terminal, otherwise a line every 10%. Thread-safe.
/// </summary>
public sealed class ProgressBar(TextWriter writer, string what)
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _redraw = !Console.IsErrorRedirected && ReferenceEquals(writer, Console.Error);
    private readonly object _lock = new();
    private int _lastShown = -1;

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/>.</summary>
    public void Report(int done, int total)
    {
        int percent = total == 0 ? 100 : (int)(100L * done / total);
        lock (_lock)
        {
            int step = _redraw ? percent : percent / 10 * 10;
            if (step == _lastShown && done != total)
            {
                return;
            }

            _lastShown = step;
            double seconds = _clock.Elapsed.TotalSeconds;
            string eta = done > 0 && done < total ? $", about {seconds * (total - done) / done:F0} s left" : "";
            int filled = Width * percent / 100;
            string line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {done}/{total} {what}, {seconds:F0} s{eta}";
            if (_redraw)
            {
                writer.Write("\r" + line + (done == total ? "\n" : ""));
            }
            else
            {
                writer.WriteLine(line);
            }
        }
    }
}
