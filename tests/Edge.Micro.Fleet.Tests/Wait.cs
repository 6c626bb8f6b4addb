using System.Diagnostics;

namespace Edge.Micro.Fleet.Tests;

/// <summary>Waiting for what real parts (broker, simulators, gateway) do in their own time.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(100);
        }
    }
}
