namespace Edge.Micro.Fleet.Dashboard;

/// <summary>
/// Which messages of one device were seen, in bounded memory: per gateway session the highest sequence number and
/// the numbers seen within <see cref="Width"/> below it. A message is new if its number was not seen and is inside
/// that window; older than the window it counts as seen (a redelivery after a reconnect comes back long before
/// thousands of newer messages of the same device have passed).
/// </summary>
public sealed class SequenceWindow
{
    /// <summary>How far below the highest number a message may still arrive for the first time.</summary>
    public const long Width = 4096;

    private readonly Dictionary<long, (long Highest, HashSet<long> Seen)> _sessions = new();

    /// <summary>True the first time (session, seq) is added; false for a duplicate or a message below the window.</summary>
    public bool Add(long session, long seq)
    {
        if (!_sessions.TryGetValue(session, out var window))
        {
            window = (seq, new HashSet<long>());
        }

        if (seq <= window.Highest - Width || !window.Seen.Add(seq))
        {
            return false;
        }

        if (seq > window.Highest)
        {
            window.Highest = seq;
        }

        // Forget what fell below the window, now and then (amortized: the set stays under twice the width).
        if (window.Seen.Count > 2 * Width)
        {
            long floor = window.Highest - Width;
            window.Seen.RemoveWhere(s => s <= floor);
        }

        _sessions[session] = window;
        return true;
    }
}
