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
