using System;

namespace Edge.Micro.Audio.Recognition
{
    /// <summary>A monotonic clock in 100 ns ticks: the board's, the simulator's, or a test's.</summary>
    public interface ITickSource
    {
        /// <summary>Now, in 100 ns ticks.</summary>
        long Ticks { get; }
    }

    /// <summary>The system clock (DateTime.UtcNow), the default of <see cref="KeywordSpotter.Clock"/>.</summary>
    public sealed class SystemClock : ITickSource
    {
        /// <summary>The one instance.</summary>
        public static readonly SystemClock Instance = new SystemClock();

        private SystemClock()
        {
        }

        /// <inheritdoc />
        public long Ticks { get { return DateTime.UtcNow.Ticks; } }
    }
}
