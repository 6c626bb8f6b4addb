using Edge.Micro.Fleet.Dashboard;

namespace Edge.Micro.Fleet.Tests;

/// <summary>The dashboard's duplicate filter: each (session, seq) counted once, in bounded memory.</summary>
public class SequenceWindowTests
{
    [Fact]
    public void Each_message_counts_once_and_a_redelivery_is_a_duplicate()
    {
        var window = new SequenceWindow();
        Assert.True(window.Add(1, 1));
        Assert.True(window.Add(1, 2));
        Assert.False(window.Add(1, 1));
        Assert.True(window.Add(2, 1)); // a new gateway session numbers from 1 again
        Assert.False(window.Add(2, 1));
    }

    [Fact]
    public void A_message_arriving_late_inside_the_window_still_counts_once()
    {
        var window = new SequenceWindow();
        Assert.True(window.Add(1, 100));
        Assert.True(window.Add(1, 60));
        Assert.False(window.Add(1, 60));
        Assert.False(window.Add(1, 100));
    }

    [Fact]
    public void A_long_stream_keeps_exact_counts()
    {
        var window = new SequenceWindow();
        int counted = 0;
        for (long seq = 1; seq <= 100_000; seq++)
        {
            counted += window.Add(1, seq) ? 1 : 0;
            if (seq % 1000 == 0)
            {
                counted += window.Add(1, seq - 10) ? 1 : 0; // a redelivery of a recent one
            }
        }

        Assert.Equal(100_000, counted);
        Assert.False(window.Add(1, 100_000 - SequenceWindow.Width)); // below the window: taken as seen
    }
}
