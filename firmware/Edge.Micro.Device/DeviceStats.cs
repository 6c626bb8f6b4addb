namespace Edge.Micro.Device
{
    /// <summary>Counters the shell's stats and mic commands report. Fixed size; no allocation while counting.</summary>
    public sealed class DeviceStats
    {
        /// <summary>Creates counters for a model with the given label count.</summary>
        public DeviceStats(int labels)
        {
            DetectionsPerLabel = new long[labels];
            LatencyMinTicks = long.MaxValue;
        }

        public long Inferences;
        public long[] DetectionsPerLabel;
        public long LatencyMinTicks;
        public long LatencyMaxTicks;
        public long LatencyTotalTicks;
        public long Frames;
        public long BudgetOverruns;
        public long StartTicks;

        // Real time: audio consumed, and the time each stage took for it (100 ns ticks).
        public long AudioSamples;
        public long FrontEndTicks;
        public long ModelTicks;
        public long RecognizerTicks;

        /// <summary>Times the loop lowered its inference rate because it could not keep up.</summary>
        public long RealTimeFallbacks;

        /// <summary>Ticks per second of the 100 ns clock.</summary>
        public const long TicksPerSecond = 10000000;

        /// <summary>Audio sample rate.</summary>
        public const int SampleRate = 16000;

        /// <summary>
        /// The real-time factor of work that took <paramref name="ticks"/> for <paramref name="samples"/> of audio:
        /// seconds of audio per second of work, in tenths (452: 45.2 times faster than real time; under 10: it
        /// cannot keep up). -1 when nothing was timed.
        /// </summary>
        public static long RealTimeFactorTenths(long samples, long ticks)
        {
            return ticks <= 0 ? -1 : samples * 10 * TicksPerSecond / SampleRate / ticks;
        }

        // Microphone: level (mean absolute value of the last chunk), peak since the last `mic`, clipped samples.
        public int MicLevel;
        public int MicPeak;
        public long MicClipped;

        /// <summary>Records one inference's latency.</summary>
        public void Inference(long ticks)
        {
            Inferences++;
            LatencyTotalTicks += ticks;
            if (ticks < LatencyMinTicks)
            {
                LatencyMinTicks = ticks;
            }

            if (ticks > LatencyMaxTicks)
            {
                LatencyMaxTicks = ticks;
            }
        }

        /// <summary>Updates the microphone figures from a chunk of samples.</summary>
        public void Audio(short[] samples, int offset, int count)
        {
            long sum = 0;
            for (int i = offset; i < offset + count; i++)
            {
                int v = samples[i];
                int a = v < 0 ? -v : v;
                sum += a;
                if (a > MicPeak)
                {
                    MicPeak = a;
                }

                if (v >= 32767 || v <= -32768)
                {
                    MicClipped++;
                }
            }

            MicLevel = count == 0 ? 0 : (int)(sum / count);
        }
    }
}
